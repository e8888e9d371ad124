using System.Security.Cryptography;
using Horizon.Agreements;
using Horizon.NodeAgent.Decisions;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Patterns.Signing;
using Xunit;

namespace Horizon.NodeAgent.Tests.Unit;

/// <summary>
/// Issue 21: how a node judges a service it cannot check. A service the exchange refused to show the
/// node (403: private, in another org) is declined as a permission problem naming who may not read
/// what, not as a missing key; and a deployment signed with an Open Horizon RSA key verifies.
/// </summary>
public sealed class ProposalEvaluatorAccessTests
{
    private const string Image = "127.0.0.1:5000/acme/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static Proposal ProposalFor(WorkloadService service) => new()
    {
        AgreementId = AgreementId.New(),
        Terms = Services.Terms(service) with { Pattern = "acme/pattern-test" },
    };

    [Fact]
    public void Proposal_ForAServiceTheExchangeRefusedToShowTheNode_IsDeclinedAsAPermissionProblem()
    {
        var deployment = Services.Deployment(("web", Image, ["sleep", "1"]));
        var service = Services.Service("web.test", deployment) with { DeploymentSignature = DeploymentSigner.Sign(deployment, SigningKeys.Create().PrivateKeyPem) };
        const string refusal = "acme/node1 may not read service other/web.test_1.0.0_amd64";
        var node = new NodeDecisionContext("acme/pattern-test", "amd64", false, _ => [], _ => refusal);

        var decision = ProposalEvaluator.Evaluate(ProposalFor(service), node);

        Assert.False(decision.Accept);
        Assert.Contains(refusal, decision.Message, StringComparison.Ordinal);
        Assert.Contains("403", decision.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("holds no signing key", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Proposal_ForAServiceTheExchangeDoesNotHold_StillSaysNoKey()
    {
        var deployment = Services.Deployment(("web", Image, ["sleep", "1"]));
        var service = Services.Service("web.test", deployment) with { DeploymentSignature = "AAAA" };

        var decision = ProposalEvaluator.Evaluate(ProposalFor(service), new NodeDecisionContext("acme/pattern-test", "amd64", false, _ => []));

        Assert.False(decision.Accept);
        Assert.Contains("holds no signing key", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Proposal_SignedWithAnOpenHorizonRsaKey_IsAccepted()
    {
        using var rsa = RSA.Create(2048);
        var deployment = Services.Deployment(("web", Image, ["sleep", "1"]));
        var service = Services.Service("web.test", deployment) with { DeploymentSignature = DeploymentSigner.Sign(deployment, rsa.ExportRSAPrivateKeyPem()) };

        var decision = ProposalEvaluator.Evaluate(ProposalFor(service), new NodeDecisionContext("acme/pattern-test", "amd64", false, _ => [rsa.ExportSubjectPublicKeyInfoPem()]));

        Assert.True(decision.Accept, decision.Message);
    }
}
