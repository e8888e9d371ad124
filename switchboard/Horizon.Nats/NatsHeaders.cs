using System.Collections;

namespace Horizon.Nats;

/// <summary>
/// Headers of a message (NATS/1.0, HTTP-like). Names compare case-insensitively and keep their spelling on
/// the wire; a name may carry several values. A message from the server may carry a status
/// (<see cref="Code"/>, e.g. 503 no responders, 404 no messages) instead of, or besides, headers.
/// </summary>
public sealed class NatsHeaders : IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>
{
    private readonly List<KeyValuePair<string, List<string>>> _entries = [];

    /// <summary>Status code from the header line; 0 when the line carries none.</summary>
    public int Code { get; init; }

    /// <summary>Status description from the header line, e.g. "No Messages"; empty when none.</summary>
    public string Description { get; init; } = "";

    /// <summary>Number of distinct header names.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// The first value of <paramref name="name"/>; setting replaces all values.
    /// </summary>
    /// <exception cref="KeyNotFoundException">Getting a name that is absent.</exception>
    /// <exception cref="ArgumentException">Setting a name or value that cannot travel in a header.</exception>
    public string this[string name]
    {
        get => TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"no header '{name}'");
        set
        {
            Validate(name, value);
            var index = IndexOf(name);
            if (index < 0)
            {
                _entries.Add(new(name, [value]));
            }
            else
            {
                _entries[index] = new(_entries[index].Key, [value]);
            }
        }
    }

    /// <summary>Adds a value to <paramref name="name"/>, keeping the values it already has.</summary>
    /// <exception cref="ArgumentException">The name or value cannot travel in a header (CR, LF, ':' in a name).</exception>
    public void Add(string name, string value)
    {
        Validate(name, value);
        var index = IndexOf(name);
        if (index < 0)
        {
            _entries.Add(new(name, [value]));
        }
        else
        {
            _entries[index].Value.Add(value);
        }
    }

    /// <summary>The first value of <paramref name="name"/>, if present.</summary>
    public bool TryGetValue(string name, out string value)
    {
        var index = IndexOf(name);
        value = index < 0 ? "" : _entries[index].Value[0];
        return index >= 0;
    }

    /// <summary>All values of <paramref name="name"/>; empty when absent.</summary>
    public IReadOnlyList<string> GetValues(string name)
    {
        var index = IndexOf(name);
        return index < 0 ? [] : _entries[index].Value;
    }

    /// <summary>Adds a header as received, without the checks a sender needs.</summary>
    internal void AddReceived(string name, string value)
    {
        var index = IndexOf(name);
        if (index < 0)
        {
            _entries.Add(new(name, [value]));
        }
        else
        {
            _entries[index].Value.Add(value);
        }
    }

    public bool ContainsKey(string name) => IndexOf(name) >= 0;

    public bool Remove(string name)
    {
        var index = IndexOf(name);
        if (index >= 0)
        {
            _entries.RemoveAt(index);
        }
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, IReadOnlyList<string>>> GetEnumerator()
    {
        foreach (var entry in _entries)
        {
            yield return new(entry.Key, entry.Value);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string name)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            if (string.Equals(_entries[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    private static void Validate(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in name)
        {
            if (c is ':' or ' ' or '\r' or '\n' or '\t' || c < 33 || c > 126)
            {
                throw new ArgumentException($"header name '{name}' holds a character a header name cannot carry", nameof(name));
            }
        }
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"the value of header '{name}' holds a line break", nameof(value));
        }
    }
}
