using Horizon.Exchange.Client;

namespace Horizon.Cli.Commands;

/// <summary>
/// Whether some agbot serves a pattern or deployment policy to the nodes of an org, as <c>hzn deploycheck</c>
/// reports it: a node can be compatible with a pattern nobody serves, and then nothing is ever
/// deployed. Agbots are looked for in the orgs that usually hold them (the node's, the subject's and
/// the credentials'); orgs whose agbots these credentials may not read are named.
/// </summary>
internal sealed class ServingCheck(Invocation invocation)
{
    /// <summary>The agbot found (<c>org/id</c>), else what is missing and which orgs could not be read.</summary>
    public async Task<(string? Agbot, string Missing, IReadOnlyList<string> Unreadable)> FindAsync(DeployCheckSubject subject, string nodeOrg, CancellationToken cancellationToken)
    {
        var exchange = invocation.Exchange();
        var unreadable = new List<string>();
        foreach (var org in new[] { nodeOrg, subject.Org, invocation.Credentials().Org }.Distinct(StringComparer.Ordinal))
        {
            IReadOnlyList<ExchangeAgbot> agbots;
            try
            {
                agbots = await exchange.ListAgbotsAsync(org, cancellationToken);
            }
            catch (ExchangeException e) when (e is ExchangeForbiddenException or ExchangeNotFoundException)
            {
                unreadable.Add(org);
                continue;
            }
            foreach (var agbot in agbots.Where(a => !string.IsNullOrEmpty(a.Id)))
            {
                var id = agbot.Id!.Contains('/', StringComparison.Ordinal) ? agbot.Id[(agbot.Id.IndexOf('/', StringComparison.Ordinal) + 1)..] : agbot.Id;
                if (await ServesAsync(exchange, org, id, subject, nodeOrg, cancellationToken))
                {
                    return ($"{org}/{id}", "", []);
                }
            }
        }
        var missing = subject.Pattern is not null
            ? $"no agbot serves pattern {subject.Org}/{subject.Id} to nodes of {nodeOrg}, so nothing would be deployed: "
                + $"run 'hzn exchange agbot addpattern <agbot> {subject.Org} {subject.Id} {nodeOrg}'"
            : $"no agbot serves deployment policy {subject.Org}/{subject.Id} to nodes of {nodeOrg}, so nothing would be deployed: "
                + $"run 'hzn exchange agbot adddeploymentpol <agbot> {subject.Org}'{(nodeOrg == subject.Org ? "" : $" --node-org {nodeOrg}")}";
        return (null, missing, unreadable);
    }

    private static async Task<bool> ServesAsync(ExchangeClient exchange, string org, string id, DeployCheckSubject subject, string nodeOrg, CancellationToken cancellationToken)
    {
        if (subject.Pattern is not null)
        {
            return (await exchange.ListAgbotPatternsAsync(org, id, cancellationToken))
                .Any(p => p.PatternOrgid == subject.Org && p.Pattern == subject.Id && (p.NodeOrgid ?? p.PatternOrgid) == nodeOrg);
        }
        return (await exchange.ListAgbotBusinessPoliciesAsync(org, id, cancellationToken))
            .Any(p => p.BusinessPolOrgid == subject.Org && (p.BusinessPol == "*" || p.BusinessPol == subject.Id) && (p.NodeOrgid ?? p.BusinessPolOrgid) == nodeOrg);
    }
}
