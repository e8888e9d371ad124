// Measures what an agbot does on every scan: one deployment policy (or pattern) against many nodes.
// Run: dotnet run -c Release --project tools/bench/Horizon.Bench.Patterns [-- nodeCount]
using System.Diagnostics;
using System.Globalization;
using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Constraints;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var random = new Random(42);
string[] purposes = ["lab", "edge", "retail", "factory"];
string[] arches = ["amd64", "arm64"];

var policy = ModelJson.ParseDeploymentPolicy("""
    {"service":{"name":"acme.web","org":"acme","arch":"*","serviceVersions":[{"version":"1.2.0"}]},
     "properties":[{"name":"tier","value":"gold"}],
     "constraints":["openhorizon.memory >= 2048 AND (purpose == edge || purpose in \"retail,factory\") AND firmware in [2.0.0,INFINITY)"]}
    """);
var pattern = ModelJson.ParsePattern("""
    {"services":[{"serviceUrl":"acme.web","serviceOrgid":"acme","serviceArch":"amd64","serviceVersions":[{"version":"1.2.0"}]}]}
    """);

var nodes = new NodeDescription[count];
for (var i = 0; i < count; i++)
{
    nodes[i] = new NodeDescription
    {
        Org = "acme",
        Id = "node" + i.ToString(CultureInfo.InvariantCulture),
        Arch = arches[random.Next(arches.Length)],
        Cpus = random.Next(1, 9),
        MemoryMb = 512L * random.Next(1, 17),
        Pattern = null,
        Policy = new NodePolicy
        {
            Properties =
            [
                new Property("purpose", purposes[random.Next(purposes.Length)]),
                new Property("firmware", $"{random.Next(1, 4)}.{random.Next(0, 10)}.0", "version"),
            ],
            Constraints = ["tier == gold || tier == silver"],
        },
    };
}

// Compiling every node's terms is what an agbot does when node policies change, not per scan. Run
// measures a second, warm pass (the first allocates and promotes 100,000 terms through the GC generations).
PolicyTerms[] terms = [];
Run("compile node terms (once per node change)", () => (terms = nodes.Select(n => PolicyTerms.ForNode(n.Policy, n.BuiltInProperties())).ToArray()).Length, count);

var deployment = PolicyTerms.ForDeployment(policy, "1.2.0", "amd64");
Run("two-way policy match, precompiled node terms", () => terms.Count(t => PolicyMatcher.IsMatch(t, deployment)), count);
Run("policy match with reasons (deploycheck)", () => terms.Count(t => PolicyMatcher.Match(t, deployment).IsMatch), count);
Run("full CheckPolicy per node (compiles terms each time)", () => nodes.Count(n => CompatibilityChecker.CheckPolicy(n, policy).IsCompatible), count);
var patternNodes = nodes.Select(n => n with { Pattern = "acme/web", Policy = null }).ToArray();
Run("CheckPattern per node", () => patternNodes.Count(n => CompatibilityChecker.CheckPattern(n, "acme/web", pattern).IsCompatible), count);

// With the published service: required user input (supplied by the node) and the privilege check.
var web = new ServiceDefinition
{
    Org = "acme",
    Url = "acme.web",
    Version = "1.2.0",
    Arch = "amd64",
    UserInputs = [new UserInputDefinition { Name = "TOKEN", Type = "string" }],
    Deployment = "{\"services\":{\"web\":{\"image\":\"127.0.0.1:5000/acme/web@sha256:" + new string('0', 64) + "\"}}}",
};
ServiceLookup catalog = (org, url) => org == web.Org && url == web.Url ? [web] : [];
var withInput = patternNodes.Select(n => n with
{
    UserInput = [new ServiceUserInput { ServiceOrgid = "acme", ServiceUrl = "acme.web", Inputs = [new UserInputValue("TOKEN", "t")] }],
}).ToArray();
Run("CheckPattern per node with services (user input, privilege)", () => withInput.Count(n => CompatibilityChecker.CheckPattern(n, "acme/web", pattern, catalog).IsCompatible), count);

static void Run(string name, Func<int> body, int count)
{
    body();
    var watch = Stopwatch.StartNew();
    var matched = body();
    Report($"{name} [{matched} matched]", watch.Elapsed, count);
}

static void Report(string name, TimeSpan elapsed, int count) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: {count} nodes in {elapsed.TotalMilliseconds:F1} ms ({elapsed.TotalMilliseconds * 1_000_000 / count:F0} ns/node)"));
