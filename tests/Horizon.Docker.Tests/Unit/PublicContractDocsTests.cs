using System.Reflection;
using System.Xml.Linq;
using Xunit;

namespace Horizon.Docker.Tests.Unit;

/// <summary>
/// Docker.DotNet's rule for every call: its docs say what it throws and which <c>docker</c>
/// command it matches. Read from the XML documentation the build writes next to the library.
/// </summary>
public sealed class PublicContractDocsTests
{
    private static readonly Lazy<XDocument> s_docs = new(() =>
    {
        var path = Path.ChangeExtension(typeof(IDockerClient).Assembly.Location, ".xml");
        Assert.True(File.Exists(path), $"{path} is missing: Horizon.Docker must build with GenerateDocumentationFile");
        return XDocument.Load(path);
    });

    private static readonly Type[] s_areas =
        [typeof(IDockerClient), typeof(IDockerSystem), typeof(IDockerImages), typeof(IDockerContainers), typeof(IDockerNetworks), typeof(IDockerEvents)];

    public static TheoryData<string> Calls() => [.. s_areas.SelectMany(CallNames)];

    private static IEnumerable<string> CallNames(Type area) =>
        area.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName)
            .Select(m => $"{area.FullName}.{m.Name}");

    [Theory]
    [MemberData(nameof(Calls))]
    public void EveryCall_DocumentsItsExceptions_AndTheMatchingDockerCommand(string call)
    {
        var member = Assert.Single(s_docs.Value.Descendants("member"),
            m => ((string?)m.Attribute("name"))?.StartsWith($"M:{call}(", StringComparison.Ordinal) == true);

        var exceptions = member.Elements("exception").Select(e => (string?)e.Attribute("cref")).ToList();
        Assert.NotEmpty(exceptions);
        Assert.All(member.Elements("exception"), e => Assert.False(string.IsNullOrWhiteSpace(e.Value), $"{call}: an exception without a reason"));
        var commands = member.Element("summary")!.Descendants("c").Select(c => c.Value);
        Assert.Contains(commands, c => c.StartsWith("docker ", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryArea_HasCallsToCheck() =>
        Assert.All(s_areas, area => Assert.NotEmpty(CallNames(area)));
}
