using System.Globalization;
using Horizon.Patterns.Versions;

namespace Horizon.Patterns.Constraints;

/// <summary>
/// The right-hand side of a comparison, parsed once into every form it could be compared as, so
/// evaluating against many nodes does no parsing.
/// </summary>
public sealed class ConstraintOperand
{
    internal ConstraintOperand(string text, bool quoted, IReadOnlyList<string> items, VersionRange? range)
    {
        Text = text;
        Quoted = quoted;
        Items = items;
        Range = range;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            Number = whole;
        }
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            Number = real;
        }

        if (bool.TryParse(text, out var truth))
        {
            Truth = truth;
        }

        if (ServiceVersion.TryParse(text, out var version))
        {
            Version = version;
        }

        Numbers = items.Select(i => double.TryParse(i, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : (double?)null).ToArray();
    }

    /// <summary>The value as written, without the quotes of a single quoted string.</summary>
    public string Text { get; }

    public bool Quoted { get; }

    /// <summary>The value read as a list (for <c>in</c> and list properties): comma-separated, trimmed, single quotes removed.</summary>
    public IReadOnlyList<string> Items { get; }

    /// <summary>Set when the value was written as a bracketed range such as <c>[1.0.0,2.0.0)</c>.</summary>
    public VersionRange? Range { get; }

    public double? Number { get; }

    public bool? Truth { get; }

    public ServiceVersion? Version { get; }

    internal IReadOnlyList<double?> Numbers { get; }
}
