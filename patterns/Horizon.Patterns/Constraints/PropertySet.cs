using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;

namespace Horizon.Patterns.Constraints;

/// <summary>
/// Properties by name, typed once, that constraints are evaluated against. Later properties with
/// the same name replace earlier ones, so built-ins can be overridden or added last deliberately.
/// </summary>
public sealed class PropertySet
{
    private readonly Dictionary<string, TypedProperty> byName;

    private PropertySet(Dictionary<string, TypedProperty> byName) => this.byName = byName;

    public static PropertySet Empty { get; } = new(new Dictionary<string, TypedProperty>(StringComparer.Ordinal));

    public int Count => byName.Count;

    public IEnumerable<TypedProperty> All => byName.Values;

    /// <summary>Types every property.</summary>
    /// <exception cref="ModelFormatException">A property has an unknown type or a value that does not fit it; errors name <c>properties[i]</c>.</exception>
    public static PropertySet Create(IEnumerable<Property> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var map = new Dictionary<string, TypedProperty>(StringComparer.Ordinal);
        var errors = new ValidationErrors();
        var index = 0;
        foreach (var property in properties)
        {
            if (TypedProperty.TryFrom(property, out var typed, out var error))
            {
                map[property.Name] = typed;
            }
            else
            {
                errors.Add($"properties[{index}]", $"{property.Name}: {error}");
            }

            index++;
        }

        return errors.Items.Count == 0 ? new PropertySet(map) : throw new ModelFormatException(errors.Items);
    }

    /// <summary>A new set with <paramref name="more"/> added (replacing same-named properties).</summary>
    /// <exception cref="ModelFormatException">One of <paramref name="more"/> does not fit its type.</exception>
    public PropertySet With(IEnumerable<Property> more)
    {
        var added = Create(more);
        var map = new Dictionary<string, TypedProperty>(byName, StringComparer.Ordinal);
        foreach (var property in added.byName.Values)
        {
            map[property.Name] = property;
        }

        return new PropertySet(map);
    }

    public bool TryGet(string name, out TypedProperty property) => byName.TryGetValue(name, out property!);
}
