using Horizon.Switchboard.Credentials;

namespace Horizon.Switchboard.Service;

/// <summary>
/// <c>nats-leaf</c>: writes an edge site's leaf nats-server configuration from the hub's NATS
/// authority (<see cref="LeafSite"/>) and says what the hub and the site's node agents need.
/// </summary>
public static class LeafSiteCommand
{
    private const string Usage = "usage: nats-leaf <authority-directory> <site-directory> --domain <site-domain> --hub nats-leaf://<hub>:<port> [--listen 127.0.0.1:4222] [--hub-domain hub]";

    public static int Run(string authorityDirectory, string siteDirectory, IReadOnlyList<string> arguments, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < arguments.Count; i += 2)
        {
            if (i + 1 >= arguments.Count || arguments[i] is not ("--domain" or "--hub" or "--listen" or "--hub-domain"))
            {
                error.WriteLine(Usage);
                return 2;
            }
            values[arguments[i]] = arguments[i + 1];
        }
        if (!values.TryGetValue("--domain", out var domain) || !values.TryGetValue("--hub", out var hub))
        {
            error.WriteLine(Usage);
            return 2;
        }
        var options = new LeafSiteOptions(domain, hub, values.GetValueOrDefault("--listen", "127.0.0.1:4222"), values.GetValueOrDefault("--hub-domain", "hub"));
        try
        {
            using var authority = NatsAuthority.Load(authorityDirectory);
            var config = LeafSite.Write(authority, siteDirectory, options);
            output.WriteLine($"Leaf site '{options.Domain}' written: nats-server -c {config}");
            output.WriteLine($"The hub's nats-server needs (adjust paths and addresses):\n{LeafSite.HubConfig("<store>", "0.0.0.0:7422", options.HubDomain)}");
            output.WriteLine($"The switchboard needs Switchboard:Stream:EdgeDomains to list '{options.Domain}'.");
            output.WriteLine($"The site's node agents: NodeAgent:NatsUrl=nats://{options.Listen}, NodeAgent:JetStreamDomain={options.HubDomain}, NodeAgent:InboxIdleCheck=00:00:30.");
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or FormatException)
        {
            error.WriteLine($"nats-leaf: {e.Message}");
            return 1;
        }
    }
}
