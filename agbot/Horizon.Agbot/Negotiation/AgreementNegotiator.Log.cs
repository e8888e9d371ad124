namespace Horizon.Agbot.Negotiation;

public sealed partial class AgreementNegotiator
{
    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Agreement {AgreementId}: proposed to {Node}: {ServiceUrl} {Version} of {Source}")]
    private partial void LogProposed(string agreementId, string node, string serviceUrl, string version, string source);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Information, Message = "Agreement {AgreementId}: finalized with {Node} for {ServiceUrl} {Version}, {ElapsedMs} ms after the proposal")]
    private partial void LogFinalized(string agreementId, string node, string serviceUrl, string version, double elapsedMs);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Information, Message = "Agreement {AgreementId}: {Node} declined (reason {Reason}: {Detail})")]
    private partial void LogDeclined(string agreementId, string node, int? reason, string? detail);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Information, Message = "Agreement {AgreementId}: cancelled by the agbot for {Node}, reason {Reason} ({Detail})")]
    private partial void LogCancelled(string agreementId, string node, int reason, string? detail);

    [LoggerMessage(EventId = 8105, Level = LogLevel.Information, Message = "Agreement {AgreementId}: cancelled by {Node}, reason {Reason} ({Detail})")]
    private partial void LogNodeCancelled(string agreementId, string node, int reason, string? detail);

    [LoggerMessage(EventId = 8106, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: {MessageType} from {Sender} does not match a known agreement with that node; dropped")]
    private partial void LogForeign(string agreementId, string sender, string messageType);

    [LoggerMessage(EventId = 8107, Level = LogLevel.Information, Message = "Agreement {AgreementId}: reply (decision {Decision}) arrived in state {State}; ignored")]
    private partial void LogLateReply(string agreementId, Storage.AgreementState state, bool decision);

    [LoggerMessage(EventId = 8108, Level = LogLevel.Debug, Message = "Agreement {AgreementId}: cancel {Reason} from the node for an agreement already ended")]
    private partial void LogLateCancel(string agreementId, int reason);

    [LoggerMessage(EventId = 8109, Level = LogLevel.Information, Message = "Agreement {AgreementId}: update to {Version} answered, accepted {Accepted}, reason {Reason} ({Detail})")]
    private partial void LogUpdateReply(string agreementId, bool accepted, int? reason, string version, string? detail);

    [LoggerMessage(EventId = 8110, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: unexpected {MessageType} from the node; dropped")]
    private partial void LogUnexpected(string agreementId, string messageType);

    [LoggerMessage(EventId = 8111, Level = LogLevel.Information, Message = "Agreement {AgreementId}: sent pending {Pending} to {Node}, left unsent by a restart or a failed send")]
    private partial void LogResumed(string agreementId, string node, Storage.PendingMessage pending);

    [LoggerMessage(EventId = 8112, Level = LogLevel.Debug, Message = "Agreement {AgreementId}: verify sent to {Node}")]
    private partial void LogVerifySent(string agreementId, string node);

    [LoggerMessage(EventId = 8113, Level = LogLevel.Debug, Message = "Node {Node} already has a live agreement for {Workload}; no proposal")]
    private partial void LogAlreadyLive(string node, string workload);

    [LoggerMessage(EventId = 8114, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: proposal to {Node} withdrawn unsent: {Error}")]
    private partial void LogWithdrawn(string agreementId, string node, string error);

    [LoggerMessage(EventId = 8115, Level = LogLevel.Information, Message = "Agreement {AgreementId}: update sent to {Node}, {FromVersion} -> {ToVersion}")]
    private partial void LogUpdateSent(string agreementId, string node, string fromVersion, string toVersion);

    [LoggerMessage(EventId = 8116, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: {Node} did not answer the update to {Version} in time; the agreement keeps its terms")]
    private partial void LogUpdateTimedOut(string agreementId, string node, string version);

    [LoggerMessage(EventId = 8117, Level = LogLevel.Information, Message = "Agreement {AgreementId}: update reply (accepted {Accepted}) with no update in flight; ignored")]
    private partial void LogLateUpdateReply(string agreementId, bool accepted);

    [LoggerMessage(EventId = 8118, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: the cancel cannot be delivered to {Node} ({Error}); recorded as done")]
    private partial void LogCancelUndeliverable(string agreementId, string node, string error);

    [LoggerMessage(EventId = 8119, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: late update reply (accepted {Accepted}, reason {Reason}) matched to the unanswered update to {Version}; the node runs {RunningVersion}")]
    private partial void LogLateUpdateMatched(string agreementId, bool accepted, int? reason, string version, string runningVersion);

    [LoggerMessage(EventId = 8120, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: the rollback to {Version} is due again ({Due}, attempt {Attempts})")]
    private partial void LogRollbackDue(string agreementId, string version, bool due, int attempts);
}
