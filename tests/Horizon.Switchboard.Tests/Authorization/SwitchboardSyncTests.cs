using Horizon.Exchange.Client;
using Horizon.Nats;
using Horizon.Nats.JetStream;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Authorization;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing.Exchange;
using Horizon.Testing.Nats;
using Microsoft.Extensions.Logging.Abstractions;

namespace Horizon.Switchboard.Tests.Authorization;

/// <summary>The switchboard keeps NATS access in step with a real exchange, on a real nats-server.</summary>
public sealed class SwitchboardSyncTests : IAsyncLifetime
{
    private const string AuthFile = "authorization.conf";
    private const string Org = "edgeorg";
    private const string Token = "node-token-1";
    private static readonly SwitchboardCredentials Service = new("switchboard", "service-secret");
    private ExchangeServer _exchange = null!;
    private NatsServer _nats = null!;
    private NatsConnection _admin = null!;
    private GrantStore _grants = null!;
    private SwitchboardSynchronizer _synchronizer = null!;
    private CredentialIssuer _issuer = null!;
    private readonly Testing.TempDirectory _state = new("hzn-switchboard");

    public async Task InitializeAsync()
    {
        _exchange = await ExchangeServer.StartAsync();
        await _exchange.Root.PutOrgAsync(Org, new ExchangeOrg { Label = "edge" });
        await _exchange.Root.PutUserAsync(Org, "owner", new ExchangeUser { Password = "owner-pw", Admin = true });
        using var owner = new ExchangeClient(_exchange.BaseUrl, new ExchangeCredentials(Org, "owner", "owner-pw"));
        await owner.PutNodeAsync(Org, "node1", new ExchangeNode { Token = Token, Arch = "amd64" });
        await owner.PutAgbotAsync(Org, "agbot1", new ExchangeAgbot { Token = "agbot-token", Name = "a1" });

        _nats = await NatsServer.StartAsync(NatsServerOptions.Default with
        {
            ConfigSnippet = $"include \"{AuthFile}\"",
            Files = new Dictionary<string, string> { [AuthFile] = NatsAuthorizationConfig.Render(Service.User, Service.Password, []) },
        });
        _admin = new NatsConnection(NatsOpts.Default with { Url = _nats.Url, Username = Service.User, Password = Service.Password });
        await _admin.ConnectAsync();
        var provisioner = new MailboxProvisioner(new NatsJSContext(_admin));
        await provisioner.EnsureStreamAsync(TimeSpan.FromMinutes(30));
        _grants = new GrantStore(_state.Combine("grants.db"));
        _synchronizer = new SwitchboardSynchronizer(_exchange.Root, provisioner, _grants,
            new NatsAuthorizationFile(Path.Combine(Path.GetDirectoryName(_nats.ConfigPath)!, AuthFile), _nats.PidFile),
            Service, NullLogger<SwitchboardSynchronizer>.Instance);
        _issuer = new CredentialIssuer(_exchange.BaseUrl, _grants, _synchronizer);
    }

    public async Task DisposeAsync()
    {
        _synchronizer.Dispose();
        _grants.Dispose();
        await _admin.DisposeAsync();
        await _nats.DisposeAsync();
        await _exchange.DisposeAsync();
        _state.Dispose();
    }

    [Fact]
    public async Task Sync_ProvisionsAnInboxForEveryRegisteredParty()
    {
        await _synchronizer.SyncAsync();

        var js = new NatsJSContext(_admin);
        var node = await js.GetConsumerAsync(MailboxNames.Stream, PartyAddress.Node(Org, "node1").ConsumerName);
        var agbot = await js.GetConsumerAsync(MailboxNames.Stream, PartyAddress.Agbot(Org, "agbot1").ConsumerName);
        Assert.Equal(PartyAddress.Node(Org, "node1").InboxSubject, node.Config.FilterSubject);
        Assert.Equal(PartyAddress.Agbot(Org, "agbot1").InboxSubject, agbot.Config.FilterSubject);
    }

    [Fact]
    public async Task NodeThatProvesItself_GetsCredentialsThatWorkOnlyForItsOwnInbox()
    {
        var issued = await _issuer.IssueAsync(PartyKind.Node, new ExchangeCredentials(Org, "node1", Token));

        await using var node = await ConnectEventuallyAsync(issued.User, issued.Password);
        await node.SendAsync($"SUB {issued.InboxPrefix}.x 1\r\nSUB {PartyAddress.Node(Org, "node2").InboxSubject} 2\r\n");
        var errors = await node.LinesUntilPongAsync();
        Assert.Equal([$"-ERR 'Permissions Violation for Subscription to \"{PartyAddress.Node(Org, "node2").InboxSubject}\"'"], errors);
        Assert.Equal(PartyAddress.Node(Org, "node1").ConsumerName, issued.Consumer);
    }

    [Fact]
    public async Task WrongExchangeToken_GetsNoCredentials()
    {
        var refusal = await Assert.ThrowsAsync<IdentityNotProvenException>(() =>
            _issuer.IssueAsync(PartyKind.Node, new ExchangeCredentials(Org, "node1", "guess")));

        Assert.Contains("node:edgeorg/node1", refusal.Message);
        Assert.Empty(await _grants.ListAsync());
    }

    [Fact]
    public async Task NodeRemovedFromTheExchange_LosesNatsAccessAndItsInbox()
    {
        var issued = await _issuer.IssueAsync(PartyKind.Node, new ExchangeCredentials(Org, "node1", Token));
        await (await ConnectEventuallyAsync(issued.User, issued.Password)).DisposeAsync();

        await _exchange.Root.DeleteNodeAsync(Org, "node1");
        await _synchronizer.SyncAsync();

        await AssertEventuallyRefusedAsync(issued.User, issued.Password);
        await Assert.ThrowsAsync<NatsJSApiException>(() =>
            new NatsJSContext(_admin).GetConsumerAsync(MailboxNames.Stream, PartyAddress.Node(Org, "node1").ConsumerName));
    }

    [Fact]
    public async Task IssuingAgain_ReplacesThePassword()
    {
        var first = await _issuer.IssueAsync(PartyKind.Node, new ExchangeCredentials(Org, "node1", Token));
        var second = await _issuer.IssueAsync(PartyKind.Node, new ExchangeCredentials(Org, "node1", Token));

        Assert.NotEqual(first.Password, second.Password);
        await (await ConnectEventuallyAsync(second.User, second.Password)).DisposeAsync();
        await AssertEventuallyRefusedAsync(first.User, first.Password);
    }

    private async Task<RawNatsConnection> ConnectEventuallyAsync(string user, string password)
    {
        // nats-server applies a reload shortly after the signal.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await RawNatsConnection.ConnectAsync(_nats.Port, user, password);
            }
            catch (InvalidOperationException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private async Task AssertEventuallyRefusedAsync(string user, string password)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                await (await RawNatsConnection.ConnectAsync(_nats.Port, user, password)).DisposeAsync();
            }
            catch (InvalidOperationException e) when (e.Message.Contains("Authorization Violation", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"{user} could still connect 5 s after its access was revoked");
    }
}
