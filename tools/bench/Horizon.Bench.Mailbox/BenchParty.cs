using Horizon.Nats;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Addressing;
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
    private readonly TempDirectory _stageState = new("hzn-bench-stage");
    private SqliteReplayWindow? _stageWindow;

    private BenchParty(NatsConnection connection, PartyKeys keys, Horizon.Switchboard.Mailboxes.Mailbox mailbox)
    {
        _connection = connection;
        _keys = keys;
        Mailbox = mailbox;
    }

    public Horizon.Switchboard.Mailboxes.Mailbox Mailbox { get; }

    public byte[] EncryptionPublicKey => _keys.EncryptionPublicKey;

    /// <summary>Seals as this party, outside the mailbox, to time sealing alone.</summary>
    public SealedEnvelope Seal(PartyAddress recipient, byte[] recipientKey, byte[] payload) =>
        new EnvelopeSealer(Mailbox.Self, _keys, EnvelopeOptions.Default, TimeProvider.System).Seal(recipient, recipientKey, payload);

    /// <summary>An opener of this party's envelopes over a replay window of its own, to time opening alone.</summary>
    public EnvelopeOpener NewOpener(BenchKeyDirectory directory)
    {
        _stageWindow ??= new SqliteReplayWindow(_stageState.Combine("replay.db"), TimeProvider.System, EnvelopeOptions.Default.ClockSkew);
        return new EnvelopeOpener(Mailbox.Self, _keys, directory, _stageWindow, EnvelopeOptions.Default, TimeProvider.System, NullLogger<EnvelopeOpener>.Instance);
    }

    public static async Task<BenchParty> OpenAsync(PartyAddress party, string url, TempDirectory state, BenchKeyDirectory directory, MailboxProvisioner provisioner)
    {
        var connection = new NatsConnection(NatsOpts.Default with { Url = url, InboxPrefix = MailboxNames.InboxPrefix(party) });
        await connection.ConnectAsync();
        var keys = PartyKeys.Generate();
        directory.Register(party, keys);
        await provisioner.EnsureInboxAsync(party);
        var mailbox = Horizon.Switchboard.Mailboxes.Mailbox.Create(party, connection, keys, directory, state.Combine(party.ConsumerName));
        return new BenchParty(connection, keys, mailbox);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        Mailbox.Dispose();
        _stageWindow?.Dispose();
        _stageState.Dispose();
        _keys.Dispose();
    }
}
