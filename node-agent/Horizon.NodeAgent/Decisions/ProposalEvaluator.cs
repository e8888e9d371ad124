using Horizon.Agreements;
using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Constraints;
using Horizon.Patterns.Deployment;
using Horizon.Patterns.Signing;
using Horizon.Patterns.Validation;

namespace Horizon.NodeAgent.Decisions;

/// <summary>
/// Decides whether the node accepts a proposal. Pure: the caller supplies the node's
/// registration and the publisher keys from the exchange. Accepts only when the proposal fits the
/// node (pattern, architecture, privilege), every deployment pins its images by digest, and every
/// deployment's signature verifies against a key of its publisher.
/// </summary>
public static class ProposalEvaluator
{
    /// <summary>Judges the proposal; the first problem found is the reason to decline.</summary>
    public static ProposalDecision Evaluate(Proposal proposal, NodeDecisionContext node)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(node);
        if (!AgreementId.IsValid(proposal.AgreementId))
        {
            return ProposalDecision.Decline(CancelReason.ImageDataError, $"'{proposal.AgreementId}' is not an agreement id");
        }
        var terms = proposal.Terms;
        if (node.Pattern is not null && terms.Pattern != node.Pattern)
        {
            return ProposalDecision.Decline(CancelReason.NodePatternChanged,
                $"the node runs pattern {node.Pattern}, the proposal is for {terms.Pattern ?? "a deployment policy"}");
        }
        if (node.Pattern is null && terms.Pattern is not null)
        {
            return ProposalDecision.Decline(CancelReason.NodePatternChanged, $"the node is registered with a policy, not pattern {terms.Pattern}");
        }
        foreach (var service in new[] { terms.Service }.Concat(terms.Dependencies))
        {
            var problem = Check(service, node);
            if (problem is not null)
            {
                return problem;
            }
        }
        return ProposalDecision.Accepted;
    }

    private static ProposalDecision? Check(WorkloadService service, NodeDecisionContext node)
    {
        if (!CompatibilityChecker.ArchMatches(service.Arch, node.Arch))
        {
            return ProposalDecision.Decline(CancelReason.NodePolicyChanged, $"{service.Key} is built for {service.Arch}, the node is {node.Arch}");
        }
        DeploymentDescription deployment;
        try
        {
            deployment = DeploymentParser.Parse(service.Deployment);
        }
        catch (ModelFormatException e)
        {
            return ProposalDecision.Decline(CancelReason.ImageDataError, $"the deployment of {service.Key} is invalid: {e.Message}");
        }
        if (deployment.PrivilegeRequests is [_, ..] requests && !node.AllowPrivileged)
        {
            return ProposalDecision.Decline(CancelReason.NodePolicyChanged,
                $"{service.Key} asks for {string.Join(", ", requests)}, which this node does not allow ({BuiltInProperties.AllowPrivileged} is not true)");
        }
        var keys = node.PublisherKeys(service);
        if (keys.Count == 0)
        {
            // A 403 is a permission problem (a private service of another org), not a missing key: say who may not read what.
            return ProposalDecision.Decline(CancelReason.ImageSignatureVerificationFailure,
                node.PublisherKeyRefusal?.Invoke(service) is { } refusal
                    ? $"permission denied: the exchange refused (403) to show {service.Key} to this node, so its signature cannot be checked: {refusal}"
                    : $"the exchange holds no signing key for {service.Key}");
        }
        foreach (var key in keys)
        {
            try
            {
                if (PublisherKeyCache.Verify(service.Deployment, service.DeploymentSignature, key))
                {
                    return null;
                }
            }
            catch (SigningKeyException)
            {
                // A malformed or unsupported key cannot vouch for anything; try the others.
            }
        }
        return ProposalDecision.Decline(CancelReason.ImageSignatureVerificationFailure,
            $"the deployment signature of {service.Key} does not verify against its publisher's key");
    }
}
