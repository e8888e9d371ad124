using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing;
using Horizon.Testing.Nats;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Horizon.Switchboard.Tests.Mailboxes;

/// <summary>
/// A real nats-server in operator mode with the mailbox stream, and parties with real keys, each
/// on a connection of its own logged in with a JWT for its own key (signed by the scoped key of its
/// kind, as the switchboard issues them), with its own state folder, as separate processes would have.
/// </summary>
internal sealed class MailboxTestBed : IAsyncDisposable
{
    private readonly TempDirectory _state = new("hzn-mailbox");
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly List<IDisposable> _syncDisposables = [];
    private readonly Dictionary<PartyAddress, PartyKeys> _partyKeys = [];

    private MailboxTestBed(NatsServer server, NatsConnection admin)
    {
        Server = server;
        Admin = admin;
        JetStream = new NatsJSContext(admin);
    }

    public NatsServer Server { get; }

    /// <summary>A service connection (unrestricted in the account): what the switchboard or an attacker with a leaked service key could do.</summary>
    public NatsConnection Admin { get; }

    public NatsJSContext JetStream { get; }

    public KeyRegistry Keys { get; } = new();

    /// <summary>The private keys of a party added to the bed, for tests that seal by hand.</summary>
    public PartyKeys KeysOf(PartyAddress party) => _partyKeys[party];

    public static MailboxOptions FastRetries { get; } = MailboxOptions.Default with
    {
        RetryBackoff = TimeSpan.FromMilliseconds(20),
        MaxRetryBackoff = TimeSpan.FromMilliseconds(100),
        MaxDeliveries = 3,
        ReconnectJitter = TimeSpan.FromMilliseconds(200),
        ErrorPause = TimeSpan.FromMilliseconds(200),
        MaxErrorPause = TimeSpan.FromSeconds(2),
    };

    /// <summary>Starts the server (operator mode, or <paramref name="server"/>) and creates the mailbox stream (default options, or <paramref name="stream"/>).</summary>
    public static async Task<MailboxTestBed> StartAsync(NatsServerOptions? server = null, MailboxStreamOptions? stream = null)
    {
        var nats = await NatsServer.StartAsync(server ?? NatsServerOptions.Operator);
        var admin = nats.ServiceConnection("switchboard");
        await admin.ConnectAsync();
        var bed = new MailboxTestBed(nats, admin) { _stream = stream };
        await bed.EnsureStreamAsync();
        return bed;
    }

    private MailboxStreamOptions? _stream;

    public Task EnsureStreamAsync() => MailboxStreamSetup.EnsureAsync(JetStream, _stream);

    /// <summary>The state folder of one part of a party (keys, mailbox state).</summary>
    public string StateOf(PartyAddress party, string part) => _state.Combine(party.Kind.ToString(), party.Token, part);

    /// <summary>Disposed with the bed.</summary>
    public void Own(IAsyncDisposable disposable) => _disposables.Add(disposable);

    /// <summary>Disposed with the bed.</summary>
    public void Own(IDisposable disposable) => _syncDisposables.Add(disposable);

    /// <summary>A party with keys registered, on a connection of its own.</summary>
    public async Task<(Mailbox Mailbox, PoisonMessageLog Poison)> AddPartyAsync(PartyAddress party, MailboxOptions? options = null, IEnumerable<string>? peerOrgs = null)
    {
        RegisterParty(party);
        return await OpenMailboxAsync(party, options, peerOrgs);
    }

    /// <summary>Creates a party's keys and registers them (as its exchange record would), without opening its mailbox.</summary>
    public PartyKeys RegisterParty(PartyAddress party)
    {
        if (_partyKeys.TryGetValue(party, out var existing))
        {
            return existing;
        }
        var keys = PartyKeys.LoadOrCreate(StateOf(party, "keys"));
        _syncDisposables.Add(keys);
        Keys.Register(party, keys);
        _partyKeys[party] = keys;
        return keys;
    }

    /// <summary>Opens (again) the mailbox of a party, as a restarted process would, over the same state folder and keys.</summary>
    public async Task<(Mailbox Mailbox, PoisonMessageLog Poison)> OpenMailboxAsync(PartyAddress party, MailboxOptions? options = null, IEnumerable<string>? peerOrgs = null,
        ILoggerFactory? loggerFactory = null, TimeSpan? requestTimeout = null)
    {
        var connection = await ConnectAsync(party, peerOrgs, requestTimeout);
        var mailbox = OpenMailbox(party, connection, options, loggerFactory);
        return (mailbox, mailbox.PoisonLog);
    }

    /// <summary>Opens the mailbox of a party over the same state folder on a connection the caller gives (and may close, as a killed process would).</summary>
    public Mailbox OpenMailbox(PartyAddress party, NatsConnection connection, MailboxOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        var mailbox = Mailbox.Create(party, connection, KeysOf(party), Keys, StateOf(party, "state"), options ?? FastRetries, loggerFactory: loggerFactory);
        _syncDisposables.Add(mailbox);
        return mailbox;
    }

    /// <summary>A connected connection as <paramref name="party"/> (its JWT allows writing to its own org and <paramref name="peerOrgs"/>).</summary>
    public async Task<NatsConnection> ConnectAsync(PartyAddress party, IEnumerable<string>? peerOrgs = null, TimeSpan? requestTimeout = null)
    {
        var keys = KeysOf(party);
        var peers = peerOrgs?.ToList() ?? [];
        var connection = Server.PartyConnection(party, keys, () => Server.PartyJwt(party, keys.IdentityPublicKey, peers));
        if (requestTimeout is { } timeout)
        {
            var options = connection.Opts with { RequestTimeout = timeout };
            await connection.DisposeAsync();
            connection = new NatsConnection(options);
        }
        await connection.ConnectAsync();
        _disposables.Add(connection);
        return connection;
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
