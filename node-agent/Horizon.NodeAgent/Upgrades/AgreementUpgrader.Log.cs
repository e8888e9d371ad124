namespace Horizon.NodeAgent.Upgrades;

public sealed partial class AgreementUpgrader
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 9200, Level = LogLevel.Information, Message = "Agreement {AgreementId}: update {Old} -> {New} received")]
        public static partial void Received(ILogger logger, string agreementId, string old, string @new);

        [LoggerMessage(EventId = 9201, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: update refused (reason {Reason}): {Message}")]
        public static partial void Refused(ILogger logger, string agreementId, int reason, string message);

        [LoggerMessage(EventId = 9202, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: new version failed (reason {Reason}): {Message}; rolling back")]
        public static partial void SwitchFailed(ILogger logger, string agreementId, int reason, string message);

        [LoggerMessage(EventId = 9203, Level = LogLevel.Information, Message = "Agreement {AgreementId}: update finished as {Kind}, accepted {Accepted} (reason {Reason})")]
        public static partial void Finished(ILogger logger, string agreementId, string kind, bool accepted, int reason);

        [LoggerMessage(EventId = 9204, Level = LogLevel.Error, Message = "Agreement {AgreementId}: the update crashed; the next agent start resumes it")]
        public static partial void Crashed(ILogger logger, string agreementId, Exception error);
    }
}
