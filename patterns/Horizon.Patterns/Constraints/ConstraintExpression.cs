using System.Collections.Concurrent;

namespace Horizon.Patterns.Constraints;

/// <summary>
/// One parsed constraint expression, e.g. <c>openhorizon.memory &gt;= 1024 AND (purpose == edge || purpose == lab)</c>,
/// accepted, refused and evaluated exactly as Open Horizon's agent (anax) does.
/// </summary>
public sealed class ConstraintExpression
{
    // Fleets share a handful of constraint texts; parsed trees are immutable, so one parse serves every node.
    private const int CacheLimit = 10_000;
    private static readonly ConcurrentDictionary<string, ConstraintExpression> Cache = new(StringComparer.Ordinal);

    private ConstraintExpression(string text, ConstraintNode root, IReadOnlyList<string> warnings)
    {
        Text = text;
        Root = root;
        Warnings = warnings;
    }

    public string Text { get; }

    public ConstraintNode Root { get; }

    /// <summary>
    /// Where Open Horizon accepts the text but evaluates it differently from how it reads (<c>=&gt;</c> is
    /// compared as <c>==</c>, single quotes stay part of values, ...). Horizon evaluates it the same way;
    /// <c>hzn</c> shows these when publishing.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Parses an expression.</summary>
    /// <exception cref="ConstraintSyntaxException">Open Horizon would refuse the expression; <see cref="ConstraintSyntaxException.Column"/> points at the problem.</exception>
    public static ConstraintExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Cache.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var (root, warnings) = ConstraintParser.Parse(text);
        var parsed = new ConstraintExpression(text, root, warnings);
        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        Cache[text] = parsed;
        return parsed;
    }

    public bool IsSatisfiedBy(PropertySet properties) => Root.IsSatisfiedBy(properties);

    /// <summary>Why <paramref name="properties"/> do not satisfy the expression; empty when they do.</summary>
    public IReadOnlyList<string> Explain(PropertySet properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var reasons = new List<string>();
        Root.Explain(properties, reasons);
        return reasons;
    }

    public override string ToString() => Text;
}
