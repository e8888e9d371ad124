using Horizon.Nats;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing;

namespace Horizon.Bench.Mailbox;

/// <summary>A party with its own connection, keys, replay window and mailbox, as its own process would have.</summary>
internal sealed class BenchParty : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly PartyKeys _keys;
    private BenchParty(NatsConnection connection, PartyKeys keys, Horizon.Switchboard.Mailboxes.Mailbox mailbox)
    {
        _connection = connection;
        _keys = keys;
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
        var mailbox = Horizon.Switchboard.Mailboxes.Mailbox.Create(party, connection, keys, directory, state.Combine(party.ConsumerName));
        return new BenchParty(connection, keys, mailbox);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        Mailbox.Dispose();
        _keys.Dispose();
    }
}
