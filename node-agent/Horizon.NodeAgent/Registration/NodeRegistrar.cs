using Horizon.Agreements;
using Horizon.Exchange.Client;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Supervision;
using Horizon.NodeAgent.Workloads;
using Horizon.Patterns.Versions;

namespace Horizon.NodeAgent.Registration;

/// <summary>
/// Registers the node in the exchange with its own credentials (the node record may have been
/// created by a user; a node may update itself) and its public keys, and unregisters it:
/// cancels every agreement, tears its workloads down and leaves the exchange.
/// </summary>
public sealed partial class NodeRegistrar(
    NodeAgentOptions options,
    NodeRuntimeInfo node,
    NodeIdentity identity,
    RegistrationStore registrations,
    AgreementLifecycle lifecycle,
    AgreementStore agreements,
    EventLog eventLog,
    Messaging.NodeStatusSignal status,
    ExchangeConnectionPool exchangePool,
    ILogger<NodeRegistrar> logger,
    TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Registers (or re-registers) the node and persists the registration.</summary>
    /// <exception cref="RegistrationRejectedException">The registration is incomplete or names another node than the agent's settings.</exception>
    /// <exception cref="ExchangeException">The exchange refused the node's credentials or the record.</exception>
    /// <exception cref="HttpRequestException">The exchange cannot be reached.</exception>
    public async Task RegisterAsync(NodeRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var problems = registration.Validate().ToList();
        if (registration.Id != options.NodeId || registration.Org != options.Organization)
        {
            problems.Add($"this agent is configured as {options.Organization}/{options.NodeId}, not {registration.Org}/{registration.Id}");
        }
        problems.AddRange(UserInputProblems(registration.UserInput));
        if (problems.Count > 0)
        {
            throw new RegistrationRejectedException(string.Join("; ", problems));
        }
        var keys = identity.Keys;
        using var exchange = exchangePool.ClientFor(registration.Credentials);
        await exchange.PutNodeAsync(registration.Org, registration.Id, new ExchangeNode
        {
            Token = registration.Token,
            Name = registration.Name ?? registration.Id,
            NodeType = "device",
            Pattern = registration.Pattern ?? "",
            Arch = node.Arch,
            PublicKey = keys.IdentityPublicKey,
            EncryptionKey = keys.EncryptionPublicKey,
            UserInput = registration.UserInput ?? [],
        }, cancellationToken);
        if (registration.Policy is { ValueKind: System.Text.Json.JsonValueKind.Object } policy)
        {
            await exchange.PutNodePolicyJsonAsync(registration.Org, registration.Id, policy.GetRawText(), cancellationToken);
        }
        // The exchange took the node's write to its own record as its first heartbeat; the next is due an interval later.
        status.HeardByExchange(_time.GetUtcNow());
        // The exchange holds the node now: kept even if the caller gave up meanwhile.
        await registrations.SetAsync(registration, CancellationToken.None);
        // The status goes out now (when there is one to tell), not a heartbeat interval later.
        status.Signal();
        await eventLog.RecordAsync(null, "node.registered", $"registered as {registration.Org}/{registration.Id} with {(registration.Pattern is { } p ? "pattern " + p : "a node policy")}", cancellationToken: CancellationToken.None);
        Log.Registered(logger, registration.Org, registration.Id);
    }

    /// <summary>Cancels every active agreement, deletes the node from the exchange and forgets the registration.</summary>
    /// <returns>False when the node was not registered.</returns>
    /// <exception cref="ExchangeException">The exchange refused the deletion (a node already gone counts as deleted).</exception>
    /// <exception cref="HttpRequestException">The exchange cannot be reached; the agreements are cancelled already.</exception>
    public async Task<bool> UnregisterAsync(CancellationToken cancellationToken)
    {
        if (registrations.Current is not { } registration)
        {
            return false;
        }
        foreach (var agreement in (await agreements.ListAsync(cancellationToken)).Where(a => a.IsActive))
        {
            await lifecycle.CancelAsync(agreement.Id, CancelReason.NodeUserRequested, "the node was unregistered", cancellationToken);
        }
        using var exchange = exchangePool.ClientFor(registration.Credentials);
        try
        {
            await exchange.DeleteNodeAsync(registration.Org, registration.Id, cancellationToken);
        }
        catch (ExchangeNotFoundException)
        {
            // Already gone: the goal is reached.
        }
        // The exchange forgot the node: so does the agent, even if the caller gave up meanwhile.
        await registrations.SetAsync(null, CancellationToken.None);
        await eventLog.RecordAsync(null, "node.unregistered", $"unregistered {registration.Org}/{registration.Id}", cancellationToken: CancellationToken.None);
        Log.Unregistered(logger, registration.Org, registration.Id);
        return true;
    }

    /// <summary>The node's user input is applied to containers by service org, url and version range, so each must be usable.</summary>
    private static IEnumerable<string> UserInputProblems(IReadOnlyList<NodeUserInput>? userInput)
    {
        foreach (var (section, index) in (userInput ?? []).Select((s, i) => (s, i)))
        {
            if (string.IsNullOrWhiteSpace(section.ServiceOrgid) || string.IsNullOrWhiteSpace(section.ServiceUrl))
            {
                yield return $"userInput[{index}] needs serviceOrgid and serviceUrl";
            }
            if (!string.IsNullOrWhiteSpace(section.ServiceVersionRange)
                && !VersionRange.TryParse(section.ServiceVersionRange, out _, out var error))
            {
                yield return $"userInput[{index}].serviceVersionRange '{section.ServiceVersionRange}' is not a version range: {error}";
            }
            if ((section.Inputs ?? []).Any(i => string.IsNullOrWhiteSpace(i.Name)))
            {
                yield return $"userInput[{index}] has an input without a name";
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9160, Level = LogLevel.Information, Message = "Registered as {Org}/{Id}")]
        public static partial void Registered(ILogger logger, string org, string id);

        [LoggerMessage(EventId = 9161, Level = LogLevel.Information, Message = "Unregistered {Org}/{Id}")]
        public static partial void Unregistered(ILogger logger, string org, string id);
    }
}
