using System.Reflection;
using System.Xml.Linq;
using Horizon.NodeAgent.Engine;
using Xunit;

namespace Horizon.Docker.Tests.Unit;

/// <summary>
/// Docker.DotNet's rule for every call, kept for the agent's engine port: its docs say what it
/// throws and which <c>docker</c> command it matches. Read from the XML documentation the build
/// writes next to the agent.
/// </summary>
public sealed class PublicContractDocsTests
{
    private static readonly Lazy<XDocument> s_docs = new(() =>
    {
        var path = Path.ChangeExtension(typeof(IContainerEngine).Assembly.Location, ".xml");
        Assert.True(File.Exists(path), $"{path} is missing: Horizon.NodeAgent must build with GenerateDocumentationFile");
        return XDocument.Load(path);
    });

    public static TheoryData<string> Calls() => [.. typeof(IContainerEngine)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Where(m => !m.IsSpecialName)
        .Select(m => $"{typeof(IContainerEngine).FullName}.{m.Name}")];

    [Theory]
    [MemberData(nameof(Calls))]
    public void EveryCall_DocumentsItsExceptions_AndTheMatchingDockerCommand(string call)
    {
        var member = Assert.Single(s_docs.Value.Descendants("member"),
            m => ((string?)m.Attribute("name"))?.StartsWith($"M:{call}(", StringComparison.Ordinal) == true);

        Assert.NotEmpty(member.Elements("exception"));
        Assert.All(member.Elements("exception"), e => Assert.False(string.IsNullOrWhiteSpace(e.Value), $"{call}: an exception without a reason"));
        var commands = member.Element("summary")!.Descendants("c").Select(c => c.Value);
        Assert.Contains(commands, c => c.StartsWith("docker ", StringComparison.Ordinal));
    }

    [Fact]
    public void ThePort_IsADozenCalls_NotTheWholeEngineApi() =>
        Assert.InRange(Calls().Count, 10, 16);
}
