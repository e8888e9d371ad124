using Horizon.Agreements;
using Horizon.NodeAgent.Tests.Support;
using Horizon.NodeAgent.Workloads;
using Horizon.Patterns.Model;
using Xunit;

namespace Horizon.NodeAgent.Tests.Unit;

public sealed class WorkloadPlannerTests
{
    private const string Image = "127.0.0.1:5000/acme/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static WorkloadService Svc(string url, string sharable = "multiple", params WorkloadService[] requires) =>
        Services.Service(url, Services.Deployment((url.Split('.')[0], Image, ["sleep", "1"])), sharable, requires);

    [Fact]
    public void Plan_OrdersDependenciesLeafFirst_AndTheTopLevelServiceLast()
    {
        var db = Svc("db.test");
        var cache = Svc("cache.test", requires: db);
        var web = Svc("web.test", requires: [cache, db]);

        var plan = WorkloadPlanner.Build(AgreementId.New(), Services.Terms(web, cache, db));

        Assert.Equal(["db.test", "cache.test", "web.test"], plan.Services.Select(s => s.Service.Url));
        Assert.True(plan.Services[^1].IsTopLevel);
        Assert.Equal(2, plan.Services[^1].Producers.Count);
    }

    [Fact]
    public void Singleton_GetsTheSameInstanceInEveryAgreement_OthersOnePerAgreement()
    {
        var shared = Svc("shared.test", "singleton");
        var web = Svc("web.test", requires: shared);

        var first = WorkloadPlanner.Build(AgreementId.New(), Services.Terms(web, shared));
        var second = WorkloadPlanner.Build(AgreementId.New(), Services.Terms(web, shared));

        Assert.Equal(first.Services[0].InstanceId, second.Services[0].InstanceId);
        Assert.Equal(Sharable.Singleton, first.Services[0].Sharable);
        Assert.NotEqual(first.Services[1].InstanceId, second.Services[1].InstanceId);
    }

    public static TheoryData<string, string> InvalidTerms => new()
    {
        { "missing", "which the agreement does not carry" },
        { "cycle", "form a cycle" },
        { "unpinned", "not pinned by digest" },
        { "malformed", "is invalid" },
        { "sharable", "expected exclusive, singleton or multiple" },
    };

    [Theory]
    [MemberData(nameof(InvalidTerms))]
    public void InvalidTerms_AreRefusedWith112_SayingWhy(string kind, string expected)
    {
        var db = Svc("db.test");
        AgreementTerms terms = kind switch
        {
            "missing" => Services.Terms(Svc("web.test", requires: db)),
            "cycle" => CycleTerms(),
            "unpinned" => Services.Terms(Services.Service("web.test", Services.Deployment(("web", "127.0.0.1:5000/acme/x:1.0", ["sleep", "1"])))),
            "malformed" => Services.Terms(Services.Service("web.test", "{\"services\": [")),
            _ => Services.Terms(Svc("web.test", "shared-by-all")),
        };

        var error = Assert.Throws<WorkloadStartException>(() => WorkloadPlanner.Build(AgreementId.New(), terms));

        Assert.Equal(CancelReason.ImageDataError, error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedAgreementId_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => WorkloadPlanner.Build("not-an-id", Services.Terms(Svc("web.test"))));
    }

    private static AgreementTerms CycleTerms()
    {
        var aRef = new RequiredServiceRef { Org = Services.Org, Url = "a.test" };
        var bRef = new RequiredServiceRef { Org = Services.Org, Url = "b.test" };
        var a = Svc("a.test") with { RequiredServices = [bRef] };
        var b = Svc("b.test") with { RequiredServices = [aRef] };
        return Services.Terms(a, b);
    }
}
