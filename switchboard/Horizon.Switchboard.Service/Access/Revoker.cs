using System.Text;
using System.Threading.Channels;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Messaging;
using Horizon.Switchboard.Service.Issuing;
using Horizon.Switchboard.Telemetry;
using NATS.Client.Core;

namespace Horizon.Switchboard.Service.Access;

/// <summary>
/// Revokes the NATS access of parties that left the exchange: their keys go into the account
/// JWT's revocation list, which is pushed to nats-server as an account-claims update
/// (<c>$SYS.REQ.CLAIMS.UPDATE</c>; the full resolver stores it, so it survives a server restart).
/// No reload, no file rewritten. The server re-checks every connected client of the account on each
/// update, so revocations are batched: the first one waits <see cref="SwitchboardOptions.RevocationBatch"/>
/// for others to join it.
/// </summary>
public sealed partial class Revoker(
    NatsAuthority authority,
    IssuedCredentialStore store,
    SwitchboardConnections connections,
    SwitchboardOptions options,
    TimeProvider time,
    ILogger<Revoker> logger)
{
    private readonly Channel<(PartyAddress Party, string Reason)> _requests = Channel.CreateUnbounded<(PartyAddress, string)>(new UnboundedChannelOptions { SingleReader = true });
    private IReadOnlyDictionary<string, long>? _pushed;

    /// <summary>Revocations pushed since start, and the time the last batch took to be confirmed.</summary>
    public long Revoked { get; private set; }

    public TimeSpan LastPushTook { get; private set; }

    /// <summary>Queues <paramref name="party"/> for revocation.</summary>
    public void Revoke(PartyAddress party, string reason) => _requests.Writer.TryWrite((party, reason));

    /// <summary>Pushes queued revocations in batches until stopped.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await foreach (var first in _requests.Reader.ReadAllAsync(stoppingToken))
        {
            await Task.Delay(options.RevocationBatch, time, stoppingToken);
            var batch = new List<(PartyAddress Party, string Reason)> { first };
            while (_requests.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            var now = time.GetUtcNow();
            var keys = 0;
            foreach (var (party, reason) in batch)
            {
                var revoked = store.Revoke(party, now);
                keys += revoked.Count;
                if (revoked.Count > 0)
                {
                    LogRevoking(party, reason);
                    SwitchboardMetrics.RecordRevoked(party.Kind);
                }
            }
            if (keys > 0 || _pushed is null)
            {
                await PushWithRetriesAsync(stoppingToken);
            }
        }
    }

    /// <summary>
    /// Makes the account on the server carry exactly the stored revocations: looks the account up
    /// and pushes an update when its list differs (at start, and after a failed push).
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var wanted = store.Revocations(Horizon(time.GetUtcNow()));
        var onServer = await ServerRevocationsAsync(cancellationToken);
        if (onServer is not null && SameRevocations(onServer, wanted))
        {
            _pushed = wanted;
            return;
        }
        await PushAsync(cancellationToken);
    }

    private async Task PushWithRetriesAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await PushAsync(stoppingToken);
                return;
            }
            catch (MessagingException e)
            {
                LogPushFailed(delay, e.Message);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task PushAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var revocations = store.Revocations(Horizon(now));
        var jwt = authority.AccountJwt(revocations, now);
        var started = time.GetTimestamp();
        NatsMsg<byte[]> reply;
        try
        {
            reply = await connections.System.RequestAsync<byte[], byte[]>("$SYS.REQ.CLAIMS.UPDATE", Encoding.ASCII.GetBytes(jwt),
                replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromSeconds(30) }, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (MessagingException.IsNatsFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw MessagingException.From(e, "pushing the account's revocations");
        }
        var answer = Encoding.UTF8.GetString(reply.Data ?? []);
        if (!answer.Contains("\"code\":200", StringComparison.Ordinal))
        {
            throw new MessagingException($"nats-server refused the account update: {answer}");
        }
        LastPushTook = time.GetElapsedTime(started);
        Revoked = revocations.Count;
        _pushed = revocations;
        LogPushed(revocations.Count, LastPushTook.TotalMilliseconds);
    }

    private async Task<IReadOnlyDictionary<string, long>?> ServerRevocationsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reply = await connections.System.RequestAsync<byte[], byte[]>($"$SYS.REQ.ACCOUNT.{authority.Account.Account}.CLAIMS.LOOKUP", null, cancellationToken: cancellationToken);
            var claims = NatsJwt.Decode(Encoding.ASCII.GetString(reply.Data ?? []));
            var revocations = new Dictionary<string, long>(StringComparer.Ordinal);
            if (claims.TryGetProperty("nats", out var nats) && nats.TryGetProperty("revocations", out var list))
            {
                foreach (var entry in list.EnumerateObject())
                {
                    revocations[entry.Name] = entry.Value.GetInt64();
                }
            }
            return revocations;
        }
        catch (Exception e) when (e is FormatException || MessagingException.IsNatsFailure(e))
        {
            return null;
        }
    }

    private static bool SameRevocations(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b) =>
        a.Count == b.Count && a.All(entry => b.TryGetValue(entry.Key, out var at) && at == entry.Value);

    /// <summary>Revocations older than the longest JWT lifetime stop nothing any more.</summary>
    private DateTimeOffset Horizon(DateTimeOffset now) => now - options.CredentialLifetime - TimeSpan.FromMinutes(5);

    [LoggerMessage(EventId = 6701, Level = LogLevel.Information, Message = "Revoking the NATS access of {Party}: {Reason}")]
    private partial void LogRevoking(PartyAddress party, string reason);

    [LoggerMessage(EventId = 6702, Level = LogLevel.Information, Message = "Account update pushed: {Count} revoked keys, confirmed in {Milliseconds} ms")]
    private partial void LogPushed(int count, double milliseconds);

    [LoggerMessage(EventId = 6703, Level = LogLevel.Warning, Message = "Pushing revocations failed; again in {Delay}: {Error}")]
    private partial void LogPushFailed(TimeSpan delay, string error);
}
