using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Model;

namespace Horizon.Patterns.Tests;

public sealed class DependencyResolverTests
{
    private static ServiceDefinition Service(string url, string version, string arch = "amd64", params (string Url, string Range)[] requires) => new()
    {
        Org = "acme",
        Url = url,
        Version = version,
        Arch = arch,
        RequiredServices = requires.Select(r => new RequiredService { Org = "acme", Url = r.Url, VersionRange = r.Range }).ToList(),
    };

    private static ServiceLookup Catalog(params ServiceDefinition[] services) =>
        (org, url) => services.Where(s => s.Org == org && s.Url == url);

    [Fact]
    public void Dependencies_StartBeforeTheirConsumers_AndSharedOnesOnce()
    {
        var db = Service("db", "1.0.0");
        var cache = Service("cache", "2.0.0", requires: ("db", "1.0.0"));
        var web = Service("web", "1.0.0", requires: [("cache", "[2.0.0,3.0.0)"), ("db", "[1.0.0,2.0.0)")]);

        var plan = DependencyResolver.Resolve(web, Catalog(db, cache, web));

        Assert.Equal(["db", "cache", "web"], plan.StartOrder.Select(s => s.Url));
        Assert.Equal(["acme/cache/2.0.0/amd64", "acme/db/1.0.0/amd64"], plan.Dependencies["acme/web/1.0.0/amd64"]);
    }

    [Fact]
    public void HighestVersionInRange_ForTheRequirersArch_IsChosen()
    {
        var web = Service("web", "1.0.0", requires: ("db", "[1.0.0,2.0.0)"));

        var plan = DependencyResolver.Resolve(web, Catalog(
            Service("db", "1.0.0"), Service("db", "1.5.0"), Service("db", "2.0.0"), Service("db", "1.9.0", "arm64")));

        Assert.Equal("1.5.0", plan.StartOrder[0].Version);
    }

    [Fact]
    public void MissingDependency_IsReportedWithWhatExists()
    {
        var web = Service("web", "1.0.0", requires: [("db", "[2.0.0,3.0.0)"), ("queue", "1.0.0")]);

        var ex = Assert.Throws<DependencyException>(() => DependencyResolver.Resolve(web, Catalog(Service("db", "1.0.0"))));

        Assert.Equal(
            ["acme/web 1.0.0 requires acme/db [2.0.0,3.0.0) for amd64, which is missing (published: 1.0.0 for amd64)",
             "acme/web 1.0.0 requires acme/queue [1.0.0,INFINITY) for amd64, which is missing (there is no such service)"],
            ex.Problems);
    }

    [Fact]
    public void Cycle_IsReportedWithItsPath()
    {
        var a = Service("a", "1.0.0", requires: ("b", "1.0.0"));
        var b = Service("b", "1.0.0", requires: ("c", "1.0.0"));
        var c = Service("c", "1.0.0", requires: ("a", "1.0.0"));

        var ex = Assert.Throws<DependencyException>(() => DependencyResolver.Resolve(a, Catalog(a, b, c)));

        Assert.Equal(["dependency cycle: acme/a -> acme/b -> acme/c -> acme/a"], ex.Problems);
    }

    [Fact]
    public void SelfDependency_IsACycle()
    {
        var a = Service("a", "1.0.0", requires: ("a", "0.1.0"));

        var ex = Assert.Throws<DependencyException>(() => DependencyResolver.Resolve(a, Catalog(a)));

        Assert.Equal(["dependency cycle: acme/a -> acme/a"], ex.Problems);
    }

    [Fact]
    public void ServiceWithoutDependencies_StartsAlone() =>
        Assert.Single(DependencyResolver.Resolve(Service("solo", "1.0.0"), Catalog()).StartOrder);
}
