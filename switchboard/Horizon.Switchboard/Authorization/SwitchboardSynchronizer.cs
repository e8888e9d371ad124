using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using Horizon.Switchboard.Telemetry;
using Microsoft.Extensions.Logging;

namespace Horizon.Switchboard.Authorization;

/// <summary>
/// Brings NATS in line with the exchange: an inbox for every node and agbot, credentials only for
/// parties the exchange still knows, each limited to its own mailbox. Serialized: one sync at a time.
/// </summary>
public sealed partial class SwitchboardSynchronizer(
    ExchangeClient exchange,
    MailboxProvisioner provisioner,
    GrantStore grants,
    NatsAuthorizationFile authorizationFile,
    SwitchboardCredentials serviceCredentials,
    ILogger<SwitchboardSynchronizer> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<PartyAddress> _provisioned = [];
    private string? _lastWritten;

    /// <summary>The parties of the last successful sync.</summary>
    public IReadOnlyCollection<PartyAddress> KnownParties { get; private set; } = [];

    /// <summary>Reads the exchange, provisions new inboxes, drops departed parties and reloads NATS if access changed.</summary>
    /// <exception cref="ExchangeException">The exchange could not be read; nothing was changed.</exception>
    public async Task SyncAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var snapshot = await ExchangeDirectorySnapshot.ReadAsync(exchange, cancellationToken);
            foreach (var party in snapshot.PeerOrgs.Keys.Where(p => !_provisioned.Contains(p)))
            {
                await provisioner.EnsureInboxAsync(party, cancellationToken);
                _provisioned.Add(party);
                LogProvisioned(logger, party);
            }
            var held = await grants.ListAsync(cancellationToken);
            foreach (var departed in held.Keys.Where(p => !snapshot.PeerOrgs.ContainsKey(p)))
            {
                await grants.RemoveAsync(departed, cancellationToken);
                await RemoveInboxAsync(departed, cancellationToken);
                LogRevoked(logger, departed);
                SwitchboardMetrics.RecordRevoked(departed.Kind);
            }
            var content = NatsAuthorizationConfig.Render(serviceCredentials.User, serviceCredentials.Password,
                held.Where(g => snapshot.PeerOrgs.ContainsKey(g.Key)).Select(g => new PartyGrant(g.Key, g.Value, snapshot.PeerOrgs[g.Key])));
            if (content != _lastWritten)
            {
                await authorizationFile.WriteAndReloadAsync(content, cancellationToken);
                _lastWritten = content;
            }
            KnownParties = snapshot.PeerOrgs.Keys.ToList();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RemoveInboxAsync(PartyAddress party, CancellationToken cancellationToken)
    {
        _provisioned.Remove(party);
        try
        {
            await provisioner.RemoveInboxAsync(party, cancellationToken);
        }
        catch (Nats.JetStream.NatsJSApiException)
        {
            // Already gone: nothing left to remove.
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "Provisioned the inbox of {Party}")]
    private static partial void LogProvisioned(ILogger logger, PartyAddress party);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Information, Message = "{Party} left the exchange: NATS access revoked and inbox removed")]
    private static partial void LogRevoked(ILogger logger, PartyAddress party);
}

/// <summary>The switchboard's own NATS user, unrestricted, written into the authorization file.</summary>
public sealed record SwitchboardCredentials(string User, string Password);
