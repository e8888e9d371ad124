using System.Text.RegularExpressions;

namespace Horizon.Observability.Tests;

/// <summary>
/// Each component's README lists the metrics it exports (issue 23), and the list is only useful while it matches
/// the code: an instrument added without a README line, or a README line left behind by a renamed instrument,
/// fails here. Instruments are found by their names in the source (<c>"horizon.x.y"</c>), README names in
/// Prometheus form (<c>horizon_x_y</c>, with the exporter's <c>_total</c> or unit suffix).
/// </summary>
public sealed partial class MetricsDocumentationTests
{
    /// <summary>Component README → the source folders whose instruments that component defines (the shared mailbox meter is listed in the switchboard's README; the others name it by its prefix).</summary>
    public static TheoryData<string, string[]> Components => new()
    {
        { "exchange/README.md", ["exchange"] },
        { "agbot/README.md", ["agbot"] },
        { "switchboard/README.md", ["switchboard"] },
        { "node-agent/README.md", ["node-agent"] },
    };

    private static readonly string[] AllSourceFolders = ["exchange", "agbot", "switchboard", "node-agent", "hosting"];

    [Theory]
    [MemberData(nameof(Components))]
    public void ReadmeListsEveryInstrumentTheComponentDefines(string readme, string[] sourceFolders)
    {
        var documented = DocumentedBaseNames(readme);
        var defined = sourceFolders.SelectMany(DefinedInstruments).Distinct().ToList();
        Assert.NotEmpty(defined);

        var missing = defined.Where(name => !documented.Contains(PrometheusBase(name))).ToList();
        Assert.True(missing.Count == 0, $"{readme} does not list: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Components))]
    public void ReadmeNamesNoMetricThatNoLongerExists(string readme, string[] sourceFolders)
    {
        _ = sourceFolders;
        var everyDefined = AllSourceFolders
            .SelectMany(DefinedInstruments).Select(PrometheusBase).ToHashSet(StringComparer.Ordinal);

        var stale = DocumentedBaseNames(readme).Where(name => !everyDefined.Contains(name)).ToList();
        Assert.True(stale.Count == 0, $"{readme} names metrics no source defines: {string.Join(", ", stale)}");
    }

    [Fact]
    public void NoReadmeUsesTheDottedInstrumentNameForAMetric()
    {
        // People search Prometheus by the exported name; a dotted name in prose sends them nowhere.
        foreach (var (readme, _) in Components.Select(row => ((string)row[0], (string[])row[1])))
        {
            var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, readme));
            var dotted = DottedName().Matches(text).Select(m => m.Value)
                .Where(name => name.Count(c => c == '.') >= 2).ToList();
            Assert.True(dotted.Count == 0, $"{readme} uses instrument names instead of exported ones: {string.Join(", ", dotted)}");
        }
    }

    private static HashSet<string> DocumentedBaseNames(string readme)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, readme));
        return ExportedName().Matches(text).Select(m => StripSuffix(m.Value))
            .Where(name => !name.EndsWith('_')) // a family mentioned by its prefix, e.g. horizon_mailbox_*
            .ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<string> DefinedInstruments(string folder)
    {
        var root = Path.Combine(RepositoryRoot.Path, folder);
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => InstrumentCreation().Matches(File.ReadAllText(path)).Select(m => m.Groups["name"].Value));
    }

    private static string PrometheusBase(string instrument) => instrument.Replace('.', '_');

    private static string StripSuffix(string exported)
    {
        foreach (var suffix in new[] { "_total", "_seconds", "_bytes", "_bucket", "_count", "_sum" })
        {
            if (exported.EndsWith(suffix, StringComparison.Ordinal)) exported = exported[..^suffix.Length];
        }

        return exported;
    }

    [GeneratedRegex(@"\bhorizon_[a-z_]+")]
    private static partial Regex ExportedName();

    [GeneratedRegex(@"\bhorizon\.[a-z_]+(\.[a-z_]+)+")]
    private static partial Regex DottedName();

    // CreateCounter<long>("horizon.x", …), CreateHistogram("horizon.x", …), CreateObservableGauge("horizon.x", …)…
    [GeneratedRegex("""\.Create(?:Counter|Histogram|UpDownCounter|Gauge|ObservableGauge|ObservableCounter|ObservableUpDownCounter)(?:<[^>]+>)?\(\s*"(?<name>horizon\.[a-z_.]+)""")]
    private static partial Regex InstrumentCreation();
}
