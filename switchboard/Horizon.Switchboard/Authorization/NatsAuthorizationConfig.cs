using System.Globalization;
using System.Text;

namespace Horizon.Switchboard.Authorization;

/// <summary>
/// Renders the nats-server <c>authorization</c> block for every granted party plus the
/// switchboard's own unrestricted user. nats-server 2.9 has no auth callout, so this file, included
/// from the server's configuration and reloaded on change, is how access follows the exchange.
/// </summary>
public static class NatsAuthorizationConfig
{
    public static string Render(string serviceUser, string servicePassword, IEnumerable<PartyGrant> grants)
    {
        var config = new StringBuilder();
        config.AppendLine("# Written by the Horizon switchboard; edits are overwritten at the next change.");
        config.AppendLine("authorization {");
        config.AppendLine("  users = [");
        config.AppendLine(CultureInfo.InvariantCulture, $"    {{ user: {Quote(serviceUser)}, password: {Quote(servicePassword)} }}");
        foreach (var grant in grants.OrderBy(g => g.Party.ToString(), StringComparer.Ordinal))
        {
            var permissions = MailboxPermissions.For(grant);
            config.AppendLine(CultureInfo.InvariantCulture, $"    {{ user: {Quote(grant.Party.ToString())}, password: {Quote(grant.Password)}, permissions: {{");
            config.AppendLine(CultureInfo.InvariantCulture, $"        publish: {{ allow: [{string.Join(", ", permissions.PublishAllow.Select(Quote))}] }}");
            config.AppendLine(CultureInfo.InvariantCulture, $"        subscribe: {{ allow: [{string.Join(", ", permissions.SubscribeAllow.Select(Quote))}] }}");
            config.AppendLine("    } }");
        }
        config.AppendLine("  ]");
        config.AppendLine("}");
        return config.ToString();
    }

    /// <summary>A double-quoted config string; identities are validated elsewhere, this only escapes.</summary>
    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case < ' ':
                    throw new ArgumentException("control characters cannot appear in NATS config strings", nameof(value));
                default:
                    builder.Append(c);
                    break;
            }
        }
        return builder.Append('"').ToString();
    }
}
