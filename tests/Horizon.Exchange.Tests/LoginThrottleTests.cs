using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Online guessing: wrong credentials for one identity from one address lock that identity at that
/// address for a window, whatever is tried next, while its owner elsewhere and clients already
/// signed in carry on.
/// </summary>
public sealed class LoginThrottleTests : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);
    private ExchangeServer _server = null!;

    public async Task InitializeAsync() => _server = await ExchangeServer.StartAsync(settings: new Dictionary<string, string>
    {
        ["MaxFailedLogins"] = "3",
        ["FailedLoginWindow"] = "00:00:03",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // "other" is created by the admin and never signs in during set-up, so its right password is not
    // in the credential cache (a credential verified within the cache lifetime is never throttled).
    [Fact]
    public async Task WrongPasswords_LockTheIdentityAtThatAddress_EvenForTheRightOne_UntilTheWindowEnds()
    {
        var tenant = await Tenant.CreateAsync(_server);
        await LockAsync(tenant, "other");

        using var locked = await SendAsync(tenant, "other", Tenant.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.InRange(locked.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), Window);
        Assert.DoesNotContain(Tenant.Password, await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Another identity from this address is not locked out.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(tenant, "user", Tenant.Password));

        await Task.Delay(Window + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(tenant, "other", Tenant.Password));
    }

    [Fact]
    public async Task OwnerAtAnotherAddress_IsNotLockedOut()
    {
        var tenant = await Tenant.CreateAsync(_server);
        await LockAsync(tenant, "other");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(tenant, "other", Tenant.Password, from: IPAddress.Parse("127.0.0.2")));
    }

    private async Task LockAsync(Tenant tenant, string id)
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(tenant, id, $"guess-{i}"));
        }
    }

    [Fact]
    public async Task UnknownIdentity_IsLockedTheSameWay_SoLockingTellsNothingAboutWhichIdsExist()
    {
        var tenant = await Tenant.CreateAsync(_server);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(tenant, "nobody", $"guess-{i}"));
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(tenant, "nobody", "guess-3"));
    }

    [Fact]
    public async Task NodeAlreadySignedIn_KeepsHeartbeating_WhileItsIdIsAttacked()
    {
        var tenant = await Tenant.CreateAsync(_server);
        await tenant.Node.HeartbeatNodeAsync(tenant.Org, "node1");
        for (var i = 0; i < 5; i++)
        {
            await StatusAsync(tenant, "node1", $"guess-{i}");
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(tenant, "node1", "guess-5"));

        await tenant.Node.HeartbeatNodeAsync(tenant.Org, "node1");
    }

    [Fact]
    public async Task RightCredentials_EndTheCount()
    {
        var tenant = await Tenant.CreateAsync(_server);
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(tenant, "other", "typo-1"));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(tenant, "other", "typo-2"));
            // Not cached yet in the first round; cached later, and a cached success counts too.
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(tenant, "other", Tenant.Password));
        }
    }

    private async Task<HttpStatusCode> StatusAsync(Tenant tenant, string id, string token, IPAddress? from = null)
    {
        using var response = await SendAsync(tenant, id, token, from);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendAsync(Tenant tenant, string id, string token, IPAddress? from = null)
    {
        var source = from ?? IPAddress.Loopback;
        var handler = new SocketsHttpHandler
        {
            // Another loopback address stands for another client machine.
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = _server.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{tenant.Org}/{id}:{token}")));
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
