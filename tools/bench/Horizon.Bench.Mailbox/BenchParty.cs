using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Keys;
using Horizon.Testing;
using Horizon.Testing.Nats;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NSec.Cryptography;

namespace Horizon.Bench.Mailbox;

/// <summary>A party with its own connection (logged in with a JWT for its own key), keys, replay window and mailbox, as its own process would have.</summary>
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

    public PublicKey EncryptionPublicKey => _keys.Encryption.PublicKey;

    /// <summary>Seals as this party, outside the mailbox, to time sealing alone.</summary>
    public SealedEnvelope Seal(PartyAddress recipient, PublicKey recipientKey, byte[] payload) =>
        new EnvelopeSealer(Mailbox.Self, _keys, EnvelopeOptions.Default, TimeProvider.System).Seal(recipient, recipientKey, payload);

    /// <summary>An opener of this party's envelopes over a replay window of its own, to time opening alone.</summary>
    public EnvelopeOpener NewOpener(BenchKeyDirectory directory)
    {
        _stageWindow ??= new SqliteReplayWindow(_stageState.Combine("replay.db"), TimeProvider.System, EnvelopeOptions.Default.ClockSkew);
        return new EnvelopeOpener(Mailbox.Self, _keys, directory, _stageWindow, EnvelopeOptions.Default, TimeProvider.System, NullLogger<EnvelopeOpener>.Instance);
    }

    public static async Task<BenchParty> OpenAsync(PartyAddress party, NatsServer server, TempDirectory state, BenchKeyDirectory directory)
    {
        var keys = PartyKeys.Generate();
        directory.Register(party, keys);
        var connection = server.PartyConnection(party, keys);
        await connection.ConnectAsync();
        var mailbox = Horizon.Switchboard.Mailboxes.Mailbox.Create(party, connection, keys, directory, state.Combine(party.Token));
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
