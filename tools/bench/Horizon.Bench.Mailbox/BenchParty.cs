using Horizon.Nats;
using Horizon.Nats.JetStream;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Horizon.Bench.Mailbox;

/// <summary>A party with its own connection, keys, replay window and mailbox, as its own process would have.</summary>
internal sealed class BenchParty : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly PartyKeys _keys;
    private readonly SqliteReplayWindow _replay;
    private readonly PoisonMessageLog _poison;

    private BenchParty(NatsConnection connection, PartyKeys keys, SqliteReplayWindow replay, PoisonMessageLog poison, Horizon.Switchboard.Mailboxes.Mailbox mailbox)
    {
        _connection = connection;
        _keys = keys;
        _replay = replay;
        _poison = poison;
        Mailbox = mailbox;
    }

    public Horizon.Switchboard.Mailboxes.Mailbox Mailbox { get; }

    public static async Task<BenchParty> OpenAsync(PartyAddress party, string url, TempDirectory state, BenchKeyDirectory directory, MailboxProvisioner provisioner)
    {
        var connection = new NatsConnection(NatsOpts.Default with { Url = url, InboxPrefix = MailboxNames.InboxPrefix(party) });
        await connection.ConnectAsync();
        var keys = PartyKeys.Generate();
        directory.Register(party, keys);
        await provisioner.EnsureInboxAsync(party);
        var replay = new SqliteReplayWindow(state.Combine($"{party.ConsumerName}-replay.db"), TimeProvider.System, EnvelopeOptions.Default.ClockSkew);
        var poison = new PoisonMessageLog(state.Combine($"{party.ConsumerName}-poison.db"), TimeProvider.System);
        var mailbox = new Horizon.Switchboard.Mailboxes.Mailbox(party, new NatsJSContext(connection),
            new EnvelopeSealer(party, keys, EnvelopeOptions.Default, TimeProvider.System),
            new EnvelopeOpener(party, keys, directory, replay, EnvelopeOptions.Default, TimeProvider.System, NullLogger<EnvelopeOpener>.Instance),
            directory, poison, MailboxOptions.Default, NullLogger<Horizon.Switchboard.Mailboxes.Mailbox>.Instance);
        return new BenchParty(connection, keys, replay, poison, mailbox);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _replay.Dispose();
        _poison.Dispose();
        _keys.Dispose();
    }
}
