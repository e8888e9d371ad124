using Horizon.Nats;
using Horizon.Nats.JetStream;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing;
using Horizon.Testing.Nats;

namespace Horizon.Switchboard.Tests.Mailboxes;

/// <summary>
/// A real nats-server with the mailbox stream, and parties with real keys, each with its own
/// connection and state folder, as separate processes would have.
/// </summary>
internal sealed class MailboxTestBed : IAsyncDisposable
{
    private readonly TempDirectory _state = new("hzn-mailbox");
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly List<IDisposable> _syncDisposables = [];

    private MailboxTestBed(NatsServer server, NatsConnection admin)
    {
        Server = server;
        Admin = admin;
        Provisioner = new MailboxProvisioner(new NatsJSContext(admin));
    }

    public NatsServer Server { get; }

    public NatsConnection Admin { get; }

    public MailboxProvisioner Provisioner { get; }

    public KeyRegistry Keys { get; } = new();

    private readonly Dictionary<PartyAddress, PartyKeys> _partyKeys = [];

    /// <summary>The private keys of a party added to the bed, for tests that seal by hand.</summary>
    public PartyKeys KeysOf(PartyAddress party) => _partyKeys[party];

    public static MailboxOptions FastRetries { get; } = MailboxOptions.Default with
    {
        RetryBackoff = TimeSpan.FromMilliseconds(20),
        MaxRetryBackoff = TimeSpan.FromMilliseconds(100),
        FetchExpires = TimeSpan.FromSeconds(1),
        MaxDeliveries = 3,
    };

    public static async Task<MailboxTestBed> StartAsync()
    {
        var server = await NatsServer.StartAsync();
        var admin = new NatsConnection(NatsOpts.Default with { Url = server.Url, Name = "switchboard" });
        await admin.ConnectAsync();
        var bed = new MailboxTestBed(server, admin);
        await bed.Provisioner.EnsureStreamAsync(MailboxProvisioner.DefaultMessageTtl);
        return bed;
    }

    /// <summary>A party with keys registered and an inbox provisioned, on a connection of its own.</summary>
    public async Task<(Mailbox Mailbox, PoisonMessageLog Poison)> AddPartyAsync(PartyAddress party, MailboxOptions? options = null, bool provisionInbox = true)
    {
        var keys = PartyKeys.LoadOrCreate(_state.Combine(party.Kind.ToString(), party.Org, party.Id));
        _syncDisposables.Add(keys);
        Keys.Register(party, keys);
        _partyKeys[party] = keys;
        if (provisionInbox)
        {
            await Provisioner.EnsureInboxAsync(party);
        }
        return await OpenMailboxAsync(party, keys, options);
    }

    /// <summary>Opens (again) the mailbox of a party, as a restarted process would, over the same state folder.</summary>
    public async Task<(Mailbox Mailbox, PoisonMessageLog Poison)> OpenMailboxAsync(PartyAddress party, PartyKeys keys, MailboxOptions? options = null)
    {
        var connection = new NatsConnection(NatsOpts.Default with { Url = Server.Url, Name = party.ToString(), InboxPrefix = MailboxNames.InboxPrefix(party) });
        await connection.ConnectAsync();
        _disposables.Add(connection);
        var mailbox = Mailbox.Create(party, connection, keys, Keys, _state.Combine(party.Kind.ToString(), party.Org, party.Id), options ?? FastRetries);
        _syncDisposables.Add(mailbox);
        var poison = mailbox.PoisonLog;
        return (mailbox, poison);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }
        await Admin.DisposeAsync();
        foreach (var disposable in _syncDisposables)
        {
            disposable.Dispose();
        }
        await Server.DisposeAsync();
        _state.Dispose();
    }
}
