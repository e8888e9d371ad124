using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Horizon.Exchange.Client;

namespace Horizon.Exchange.Tests.Support;

/// <summary>
/// A uniquely named org with one identity of every role: org admin, user, another user, a node
/// owned by the user, and an agbot serving the org. Tests never share one.
/// </summary>
public sealed class Tenant
{
    private Tenant(ExchangeServer server, string org)
    {
        Server = server;
        Org = org;
    }

    public ExchangeServer Server { get; }
    public string Org { get; }
    public const string Pattern = "pat1";
    public const string Password = "pw-1";
    public ExchangeClient Admin => Server.Client(Org, "admin", Password);
    public ExchangeClient User => Server.Client(Org, "user", Password);
    public ExchangeClient OtherUser => Server.Client(Org, "other", Password);
    public ExchangeClient Node => Server.Client(Org, "node1", Password);
    public ExchangeClient Agbot => Server.Client(Org, "agbot1", Password);

    public static async Task<Tenant> CreateAsync(ExchangeServer server, string prefix = "org")
    {
        var tenant = new Tenant(server, $"{prefix}{Guid.NewGuid():N}"[..20]);
        var root = server.Root;
        await root.PutOrgAsync(tenant.Org, new ExchangeOrg { Label = "test org" });
        await root.PutUserAsync(tenant.Org, "admin", new ExchangeUser { Password = Password, Admin = true });
        await tenant.Admin.PutUserAsync(tenant.Org, "user", new ExchangeUser { Password = Password });
        await tenant.Admin.PutUserAsync(tenant.Org, "other", new ExchangeUser { Password = Password });
        await tenant.User.PutNodeAsync(tenant.Org, "node1", new ExchangeNode { Token = Password, Pattern = $"{tenant.Org}/{Pattern}", Arch = "amd64" });
        await tenant.Admin.PutAgbotAsync(tenant.Org, "agbot1", new ExchangeAgbot { Token = Password, Name = "a1" });
        return tenant;
    }

    /// <summary>Sends a raw request with <paramref name="org"/>/<paramref name="id"/> credentials.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, string id, string? org = null, string token = Password)
    {
        using var http = Server.Http();
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{org ?? Org}/{id}:{token}")));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return await http.SendAsync(request);
    }

    /// <summary>A fresh EC P-256 public key as SPKI PEM.</summary>
    public static string NewPublicKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfoPem();
    }
}
