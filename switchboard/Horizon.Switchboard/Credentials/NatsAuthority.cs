using System.Globalization;
using System.Text;
using Horizon.Switchboard.Keys;
using NATS.NKeys;

namespace Horizon.Switchboard.Credentials;

/// <summary>
/// The keys that make nats-server trust Horizon's identities (operator mode, full account
/// resolver): the operator and its signing key, the system account, and the Horizon account with an
/// unscoped signing key for services and one scoped signing key per party kind. Kept as NATS seed
/// files (<c>*.nk</c>, 0600) in <c>&lt;directory&gt;/keys</c> (0700). The switchboard loads it to
/// issue user JWTs and to push account updates (revocations).
/// </summary>
/// <remarks>
/// <see cref="Initialize"/> also writes what nats-server and the services need next to it:
/// <c>resolver.conf</c> (include it from nats-server's configuration), <c>operator.jwt</c>, the
/// resolver's <c>jwt/</c> directory, and 0600 credential files for the switchboard (Horizon and
/// system account) and the exchange. It keeps whatever exists, so running it again never changes
/// a trusted key; the account JWT preloaded from <c>resolver.conf</c> only seeds the resolver,
/// which afterwards keeps the newest update the switchboard pushed (revocations survive restarts).
/// </remarks>
public sealed class NatsAuthority : IDisposable
{
    private const string OperatorFile = "operator.nk";
    private const string OperatorSigningFile = "operator-signing.nk";
    private const string SystemAccountFile = "system-account.nk";
    private const string AccountFile = "account.nk";
    private const string ServiceSigningFile = "account-service.nk";
    private const string NodeSigningFile = "account-node.nk";
    private const string AgbotSigningFile = "account-agbot.nk";

    private NatsAuthority(string directory)
    {
        Directory = directory;
        var keys = KeysDirectory(directory);
        Operator = Load(keys, OperatorFile, PrefixByte.Operator);
        OperatorSigning = Load(keys, OperatorSigningFile, PrefixByte.Operator);
        SystemAccount = Load(keys, SystemAccountFile, PrefixByte.Account);
        AccountKey = Load(keys, AccountFile, PrefixByte.Account);
        ServiceSigning = Load(keys, ServiceSigningFile, PrefixByte.Account);
        NodeSigning = Load(keys, NodeSigningFile, PrefixByte.Account);
        AgbotSigning = Load(keys, AgbotSigningFile, PrefixByte.Account);
        Account = new AccountDefinition(AccountKey.GetPublicKey(), ServiceSigning.GetPublicKey(), NodeSigning.GetPublicKey(), AgbotSigning.GetPublicKey());
    }

    public string Directory { get; }

    public KeyPair Operator { get; }

    /// <summary>Signs account JWTs, including every update the switchboard pushes.</summary>
    public KeyPair OperatorSigning { get; }

    public KeyPair SystemAccount { get; }

    public KeyPair AccountKey { get; }

    /// <summary>Signs the services' user JWTs (switchboard, exchange, benchmarks).</summary>
    public KeyPair ServiceSigning { get; }

    /// <summary>Signs nodes' user JWTs; its template bounds what any node can do.</summary>
    public KeyPair NodeSigning { get; }

    /// <summary>Signs agbots' user JWTs; its template bounds what any agbot can do.</summary>
    public KeyPair AgbotSigning { get; }

    public AccountDefinition Account { get; }

    /// <summary>The nats-server include that trusts this authority.</summary>
    public string ResolverConfigPath => Path.Combine(Directory, "resolver.conf");

    /// <summary>The switchboard's credentials in the Horizon account (unrestricted there).</summary>
    public string SwitchboardCredsPath => Path.Combine(Directory, "switchboard.creds");

    /// <summary>The switchboard's credentials in the system account (account updates and lookups only).</summary>
    public string SwitchboardSystemCredsPath => Path.Combine(Directory, "switchboard-sys.creds");

    /// <summary>The exchange's credentials: publish change notifications, nothing else.</summary>
    public string ExchangeCredsPath => Path.Combine(Directory, "exchange.creds");

    /// <summary>Loads an authority that <see cref="Initialize"/> created.</summary>
    /// <exception cref="FileNotFoundException">A key file is missing.</exception>
    /// <exception cref="FormatException">A key file holds no seed of the expected kind.</exception>
    /// <exception cref="UnauthorizedAccessException">A key file is readable by others.</exception>
    public static NatsAuthority Load(string directory) => new(Path.GetFullPath(directory));

    /// <summary>
    /// Creates the keys and files that are missing in <paramref name="directory"/> and loads the authority.
    /// </summary>
    public static NatsAuthority Initialize(string directory, TimeProvider? timeProvider = null)
    {
        directory = Path.GetFullPath(directory);
        var keys = KeysDirectory(directory);
        System.IO.Directory.CreateDirectory(keys);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Create(keys, OperatorFile, PrefixByte.Operator);
        Create(keys, OperatorSigningFile, PrefixByte.Operator);
        Create(keys, SystemAccountFile, PrefixByte.Account);
        Create(keys, AccountFile, PrefixByte.Account);
        Create(keys, ServiceSigningFile, PrefixByte.Account);
        Create(keys, NodeSigningFile, PrefixByte.Account);
        Create(keys, AgbotSigningFile, PrefixByte.Account);
        var authority = new NatsAuthority(directory);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "jwt"));
        var operatorJwt = Path.Combine(directory, "operator.jwt");
        if (!File.Exists(operatorJwt) || !File.Exists(authority.ResolverConfigPath))
        {
            File.WriteAllText(operatorJwt, NatsClaims.Operator(authority.Operator, authority.OperatorSigning.GetPublicKey(), authority.SystemAccount.GetPublicKey(), now));
            File.WriteAllText(authority.ResolverConfigPath, authority.ResolverConfig(operatorJwt, now));
        }
        if (!File.Exists(authority.SwitchboardCredsPath))
        {
            authority.WriteServiceCreds(authority.SwitchboardCredsPath, "switchboard", null, null, now);
        }
        if (!File.Exists(authority.ExchangeCredsPath))
        {
            authority.WriteServiceCreds(authority.ExchangeCredsPath, "exchange", ["hzn.changes.>"], ["_INBOX.>"], now);
        }
        if (!File.Exists(authority.SwitchboardSystemCredsPath))
        {
            using var user = KeyPair.CreatePair(PrefixByte.User);
            var jwt = NatsClaims.Service(authority.SystemAccount, authority.SystemAccount.GetPublicKey(), "switchboard-sys", user.GetPublicKey(),
                ["$SYS.REQ.CLAIMS.UPDATE", "$SYS.REQ.ACCOUNT.*.CLAIMS.LOOKUP"], ["_INBOX.>"], now);
            SecretFile.Write(authority.SwitchboardSystemCredsPath, CredsFile.Format(jwt, user.GetSeed()));
        }
        return authority;
    }

    /// <summary>The current Horizon account JWT with <paramref name="revocations"/> (user key → revoked-before time).</summary>
    public string AccountJwt(IReadOnlyDictionary<string, long> revocations, DateTimeOffset now) =>
        NatsClaims.Account(OperatorSigning, Account, revocations, now);

    /// <summary>Writes a creds file (0600) for a new service user of the Horizon account; null lists mean unrestricted.</summary>
    public void WriteServiceCreds(string path, string name, IReadOnlyList<string>? publish, IReadOnlyList<string>? subscribe, DateTimeOffset? now = null)
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        var jwt = NatsClaims.Service(ServiceSigning, Account.Account, name, user.GetPublicKey(), publish, subscribe, now ?? DateTimeOffset.UtcNow);
        SecretFile.Write(path, CredsFile.Format(jwt, user.GetSeed()));
    }

    private string ResolverConfig(string operatorJwt, DateTimeOffset now)
    {
        var config = new StringBuilder();
        config.AppendLine("# Written by the Horizon switchboard's nats setup: operator mode with the full account resolver.");
        config.AppendLine(CultureInfo.InvariantCulture, $"operator: \"{operatorJwt}\"");
        config.AppendLine(CultureInfo.InvariantCulture, $"system_account: {SystemAccount.GetPublicKey()}");
        config.AppendLine("resolver: {");
        config.AppendLine("  type: full");
        config.AppendLine(CultureInfo.InvariantCulture, $"  dir: \"{Path.Combine(Directory, "jwt")}\"");
        config.AppendLine("  allow_delete: false");
        config.AppendLine("  interval: \"2m\"");
        config.AppendLine("}");
        // A client has 2 s by default to answer the server's nonce with a signature; on a loaded
        // host (and after a restart, when every party reconnects at once) that is too short.
        config.AppendLine("authorization { timeout: 10 }");
        config.AppendLine("resolver_preload: {");
        config.AppendLine(CultureInfo.InvariantCulture, $"  {SystemAccount.GetPublicKey()}: \"{NatsClaims.SystemAccount(OperatorSigning, SystemAccount.GetPublicKey(), SystemAccount.GetPublicKey(), now - TimeSpan.FromDays(1))}\"");
        // Backdated: the resolver keeps a stored account JWT unless one with a later (or equal) issue
        // time arrives, and the preload is offered again at every server start. An update the
        // switchboard pushed within the same second as this file was written must not lose to it.
        config.AppendLine(CultureInfo.InvariantCulture, $"  {Account.Account}: \"{AccountJwt(new Dictionary<string, long>(), now - TimeSpan.FromDays(1))}\"");
        config.AppendLine("}");
        return config.ToString();
    }

    private static string KeysDirectory(string directory) => Path.Combine(directory, "keys");

    private static void Create(string keys, string file, PrefixByte kind)
    {
        var path = Path.Combine(keys, file);
        if (!File.Exists(path))
        {
            using var pair = KeyPair.CreatePair(kind);
            SecretFile.Write(path, pair.GetSeed() + "\n");
        }
    }

    private static KeyPair Load(string keys, string file, PrefixByte kind)
    {
        var path = Path.Combine(keys, file);
        var seed = SecretFile.Read(path).Trim();
        _ = NKeyText.SeedBytes(seed, kind);
        return KeyPair.FromSeed(seed);
    }

    public void Dispose()
    {
        foreach (var key in new[] { Operator, OperatorSigning, SystemAccount, AccountKey, ServiceSigning, NodeSigning, AgbotSigning })
        {
            key.Dispose();
        }
    }
}
