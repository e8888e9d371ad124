using System.Globalization;
using System.Text;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using NATS.NKeys;

namespace Horizon.Switchboard.Credentials;

/// <summary>Where an edge site's leaf nats-server listens and how it reaches the hub.</summary>
/// <param name="Domain">The site's own JetStream domain (holds its outbox, <see cref="EdgeOutboxSetup"/>).</param>
/// <param name="HubLeafUrl">The hub's leaf-node port, e.g. <c>nats-leaf://hub.example:7422</c>.</param>
/// <param name="Listen">Where the site's node agents connect. Default <c>127.0.0.1:4222</c>.</param>
/// <param name="HubDomain">The hub's JetStream domain, which holds the mailbox stream. Default <c>hub</c>.</param>
public sealed record LeafSiteOptions(string Domain, string HubLeafUrl, string Listen = "127.0.0.1:4222", string HubDomain = "hub")
{
    /// <summary>Server name of the leaf. Default <c>hzn_leaf_&lt;domain&gt;</c>.</summary>
    public string? ServerName { get; init; }
}

/// <summary>
/// Writes what an edge site's leaf nats-server needs, from the hub's <see cref="NatsAuthority"/>:
/// <c>leaf.conf</c> (operator mode with a full account resolver of its own, JetStream in the site's
/// domain, two leaf remotes to the hub — the Horizon account and the system account, so account
/// updates such as revocations reach the site), the resolver include and operator JWT, and two creds
/// files (0600, in a 0700 folder) the remotes log in with. No secret passes through a command line.
/// </summary>
/// <remarks>
/// The hub must run JetStream with a domain (<c>jetstream { domain: hub }</c>) and listen for leaf
/// nodes; <see cref="HubConfig"/> says how. Measured on nats-server 2.9.10: without a hub domain a
/// leaf with JetStream of its own leaves <c>$JS.API</c> requests for the hub's stream unanswered, and
/// a leaf without JetStream cannot keep what its nodes send while the uplink is down (their publishes
/// get "no responders").
/// </remarks>
public static class LeafSite
{
    public const string ConfigFile = "leaf.conf";
    public const string AccountCredsFile = "leaf-account.creds";
    public const string SystemCredsFile = "leaf-system.creds";

    /// <summary>Writes the site's files into <paramref name="siteDirectory"/> (replacing earlier ones) and returns the path of <c>leaf.conf</c>.</summary>
    /// <exception cref="ArgumentException">A domain is not a valid JetStream domain name, or the URL is not a <c>nats-leaf://</c> (or <c>tls://</c>) URL.</exception>
    public static string Write(NatsAuthority authority, string siteDirectory, LeafSiteOptions options, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var domain in new[] { options.Domain, options.HubDomain })
        {
            if (!JetStreamDomainName.IsValid(domain))
            {
                throw new ArgumentException($"'{domain}' is not a JetStream domain name ({JetStreamDomainName.Rule})", nameof(options));
            }
        }
        if (options.Domain == options.HubDomain)
        {
            throw new ArgumentException($"the site's JetStream domain must differ from the hub's ('{options.HubDomain}')", nameof(options));
        }
        if (!Uri.TryCreate(options.HubLeafUrl, UriKind.Absolute, out var hub) || hub.Scheme is not ("nats-leaf" or "nats" or "tls") || !string.IsNullOrEmpty(hub.UserInfo))
        {
            throw new ArgumentException($"'{options.HubLeafUrl}' is not a leaf-node URL without credentials (nats-leaf://host:7422)", nameof(options));
        }
        var at = now ?? DateTimeOffset.UtcNow;
        siteDirectory = Path.GetFullPath(siteDirectory);
        Directory.CreateDirectory(siteDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(siteDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var accountCreds = Path.Combine(siteDirectory, AccountCredsFile);
        authority.WriteServiceCreds(accountCreds, $"leaf-{options.Domain}", null, null, at);
        var systemCreds = Path.Combine(siteDirectory, SystemCredsFile);
        using (var user = KeyPair.CreatePair(PrefixByte.User))
        {
            var jwt = NatsClaims.Service(authority.SystemAccount, authority.SystemAccount.GetPublicKey(), $"leaf-{options.Domain}-sys", user.GetPublicKey(), null, null, at);
            SecretFile.Write(systemCreds, CredsFile.Format(jwt, user.GetSeed()));
        }
        var operatorJwt = Path.Combine(siteDirectory, "operator.jwt");
        File.Copy(Path.Combine(authority.Directory, "operator.jwt"), operatorJwt, overwrite: true);
        var resolverDirectory = Path.Combine(siteDirectory, "jwt");
        Directory.CreateDirectory(resolverDirectory);
        // The hub's resolver settings, pointing at the site's own copies: the site's resolver keeps
        // its own folder (account updates reach it over the system account's leaf connection).
        var resolver = File.ReadAllLines(authority.ResolverConfigPath).Select(line => line.TrimStart() switch
        {
            var l when l.StartsWith("dir:", StringComparison.Ordinal) => $"  dir: \"{resolverDirectory}\"",
            var l when l.StartsWith("operator:", StringComparison.Ordinal) => $"operator: \"{operatorJwt}\"",
            _ => line,
        });
        File.WriteAllLines(Path.Combine(siteDirectory, "resolver.conf"), resolver);
        var config = new StringBuilder();
        config.AppendLine(CultureInfo.InvariantCulture, $"# Edge site '{options.Domain}': a leaf of the Horizon hub at {options.HubLeafUrl}. Written by the switchboard's nats-leaf.");
        config.AppendLine(CultureInfo.InvariantCulture, $"listen: \"{options.Listen}\"");
        config.AppendLine(CultureInfo.InvariantCulture, $"server_name: \"{options.ServerName ?? "hzn_leaf_" + options.Domain}\"");
        config.AppendLine(CultureInfo.InvariantCulture, $"jetstream {{ store_dir: \"{Path.Combine(siteDirectory, "jetstream")}\", domain: \"{options.Domain}\" }}");
        config.AppendLine("include \"resolver.conf\"");
        config.AppendLine("leafnodes {");
        config.AppendLine("  remotes: [");
        config.AppendLine(CultureInfo.InvariantCulture, $"    {{ url: \"{options.HubLeafUrl}\", credentials: \"{accountCreds}\", account: \"{authority.Account.Account}\" }}");
        config.AppendLine(CultureInfo.InvariantCulture, $"    {{ url: \"{options.HubLeafUrl}\", credentials: \"{systemCreds}\", account: \"{authority.SystemAccount.GetPublicKey()}\" }}");
        config.AppendLine("  ]");
        config.AppendLine("}");
        var path = Path.Combine(siteDirectory, ConfigFile);
        File.WriteAllText(path, config.ToString());
        return path;
    }

    /// <summary>
    /// What the hub's nats-server configuration needs for leaf sites: JetStream in the hub's domain,
    /// and a leaf-node listener. <paramref name="advertise"/>: the address sites reach the listener at
    /// (behind NAT or a relay); the hub tells every leaf its listen address otherwise, and a leaf
    /// reconnects there.
    /// </summary>
    public static string HubConfig(string storeDirectory, string leafListen, string hubDomain = "hub", string? advertise = null) =>
        $"jetstream {{ store_dir: \"{storeDirectory}\", domain: \"{hubDomain}\" }}\n" +
        $"leafnodes {{ listen: \"{leafListen}\"{(advertise is null ? "" : $", advertise: \"{advertise}\"")} }}\n";
}
