using Horizon.Agreements;
using Horizon.NodeAgent.Decisions;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Patterns.Signing;
using Xunit;

namespace Horizon.NodeAgent.Tests.Unit;

public sealed class ProposalEvaluatorTests
{
    private const string Image = "127.0.0.1:5000/acme/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly SigningKeyPair Publisher = SigningKeys.Create();

    private static WorkloadService Signed(string deployment, SigningKeyPair? key = null) =>
        Services.Service("web.test", deployment) with { DeploymentSignature = DeploymentSigner.Sign(deployment, (key ?? Publisher).PrivateKeyPem) };

    private static Proposal ProposalFor(WorkloadService service, string? pattern = "acme/pattern-test") => new()
    {
        AgreementId = AgreementId.New(),
        Terms = Services.Terms(service) with { Pattern = pattern },
    };

    private static NodeDecisionContext Node(string? pattern = "acme/pattern-test", bool allowPrivileged = false) =>
        new(pattern, "amd64", allowPrivileged, _ => [Publisher.PublicKeyPem]);

    [Fact]
    public void SignedPinnedProposal_ForTheNodesPattern_IsAccepted()
    {
        var decision = ProposalEvaluator.Evaluate(ProposalFor(Signed(Services.Deployment(("web", Image, ["sleep", "1"])))), Node());

        Assert.True(decision.Accept, decision.Message);
        Assert.Null(decision.ToReply("x").Reason);
    }

    [Fact]
    public void Proposal_WithTamperedDeployment_IsDeclinedWith115()
    {
        var service = Signed(Services.Deployment(("web", Image, ["sleep", "1"])));
        var tampered = service with { Deployment = service.Deployment.Replace("sleep", "reboot", StringComparison.Ordinal) };

        var decision = ProposalEvaluator.Evaluate(ProposalFor(tampered), Node());

        Assert.False(decision.Accept);
        Assert.Equal(CancelReason.ImageSignatureVerificationFailure, decision.Reason);
        Assert.Equal(115, decision.ToReply("x").Reason);
    }

    [Fact]
    public void Proposal_SignedByAnotherKey_IsDeclinedWith115()
    {
        var decision = ProposalEvaluator.Evaluate(ProposalFor(Signed(Services.Deployment(("web", Image, ["sleep", "1"])), SigningKeys.Create())), Node());
        Assert.Equal(CancelReason.ImageSignatureVerificationFailure, decision.Reason);
    }

    [Fact]
    public void Proposal_WhoseServiceHasNoPublisherKey_IsDeclinedWith115()
    {
        var decision = ProposalEvaluator.Evaluate(ProposalFor(Signed(Services.Deployment(("web", Image, ["sleep", "1"])))),
            Node() with { PublisherKeys = _ => [] });
        Assert.Equal(CancelReason.ImageSignatureVerificationFailure, decision.Reason);
        Assert.Contains("no signing key", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Proposal_WithAnImageNotPinnedByDigest_IsDeclinedWith112()
    {
        var decision = ProposalEvaluator.Evaluate(ProposalFor(Signed(Services.Deployment(("web", "127.0.0.1:5000/acme/web:1.0", ["sleep", "1"])))), Node());
        Assert.Equal(CancelReason.ImageDataError, decision.Reason);
        Assert.Contains("not pinned by digest", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Proposal_ForAnotherPattern_IsDeclinedWith121()
    {
        var decision = ProposalEvaluator.Evaluate(ProposalFor(Signed(Services.Deployment(("web", Image, ["sleep", "1"]))), "acme/other"), Node());
        Assert.Equal(CancelReason.NodePatternChanged, decision.Reason);
    }

    [Fact]
    public void Proposal_ForAnotherArchitecture_IsDeclinedWith122()
    {
        var service = Signed(Services.Deployment(("web", Image, ["sleep", "1"]))) with { Arch = "arm64" };
        Assert.Equal(CancelReason.NodePolicyChanged, ProposalEvaluator.Evaluate(ProposalFor(service), Node()).Reason);
    }

    [Fact]
    public void PrivilegedDeployment_IsDeclined_UnlessTheNodeAllowsIt()
    {
        var deployment = "{\"services\":{\"web\":{\"image\":\"" + Image + "\",\"privileged\":true}}}";
        var proposal = ProposalFor(Signed(deployment));

        Assert.Equal(CancelReason.NodePolicyChanged, ProposalEvaluator.Evaluate(proposal, Node()).Reason);
        Assert.True(ProposalEvaluator.Evaluate(proposal, Node(allowPrivileged: true)).Accept);
    }

    [Theory]
    [InlineData("SYS_ADMIN", "SYS_ADMIN")]
    [InlineData("cap_net_admin", "NET_ADMIN")]
    [InlineData("ALL", "ALL")]
    public void CapabilityBeyondTheBaselineSet_IsDeclinedNamingIt_UnlessTheNodeAllowsPrivilege(string capability, string named)
    {
        var deployment = "{\"services\":{\"web\":{\"image\":\"" + Image + "\",\"cap_add\":[\"CHOWN\",\"" + capability + "\"]}}}";
        var proposal = ProposalFor(Signed(deployment));

        var declined = ProposalEvaluator.Evaluate(proposal, Node());

        Assert.Equal(CancelReason.NodePolicyChanged, declined.Reason);
        Assert.Contains($"services.web.cap_add {named}", declined.Message, StringComparison.Ordinal);
        Assert.Contains("openhorizon.allowPrivileged", declined.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CHOWN", declined.Message, StringComparison.Ordinal);
        Assert.True(ProposalEvaluator.Evaluate(proposal, Node(allowPrivileged: true)).Accept);
    }

    [Fact]
    public void BaselineCapabilities_UserTmpfsAndLogDriver_NeedNoPrivilege()
    {
        var deployment = "{\"services\":{\"web\":{\"image\":\"" + Image + "\",\"cap_add\":[\"NET_BIND_SERVICE\",\"CAP_KILL\"],"
            + "\"user\":\"1000:1000\",\"tmpfs\":{\"/run\":\"size=1m\"},\"log_driver\":\"local\"}}}";

        var decision = ProposalEvaluator.Evaluate(ProposalFor(Signed(deployment)), Node());

        Assert.True(decision.Accept, decision.Message);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("""{"properties": [{"name": "purpose", "value": "test"}]}""", null)]
    [InlineData("""{"properties": [{"name": "openhorizon.allowPrivileged", "value": true}]}""", true)]
    [InlineData("""{"properties": [{"name": "openhorizon.allowPrivileged", "value": "true"}]}""", true)]
    [InlineData("""{"properties": [{"name": "openhorizon.allowPrivileged", "value": false}]}""", false)]
    [InlineData("""{"properties": [{"name": "openhorizon.allowPrivileged", "value": true}], "deployment": {"properties": [{"name": "openhorizon.allowPrivileged", "value": false}]}}""", false)]
    [InlineData("""{"propertiez": []}""", false)]
    public void NodePolicy_DecidesWhetherPrivilegeIsAllowed(string? policy, bool? allowed)
    {
        var registration = new Registration.NodeRegistration
        {
            Id = "node1", Org = "acme", Token = "t",
            Policy = policy is null ? null : System.Text.Json.JsonDocument.Parse(policy).RootElement.Clone(),
        };

        Assert.Equal(allowed, registration.AllowsPrivileged());
    }

    [Fact]
    public void UnsignedDependency_DeclinesTheWholeProposal()
    {
        var top = Signed(Services.Deployment(("web", Image, ["sleep", "1"])));
        var dependency = Services.Service("db.test", Services.Deployment(("db", Image, ["sleep", "1"])));
        var proposal = new Proposal { AgreementId = AgreementId.New(), Terms = Services.Terms(top, dependency) };

        var decision = ProposalEvaluator.Evaluate(proposal, Node());

        Assert.Equal(CancelReason.ImageSignatureVerificationFailure, decision.Reason);
        Assert.Contains("db.test", decision.Message, StringComparison.Ordinal);
    }
}
