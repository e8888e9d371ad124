using System.Globalization;
using System.Text;

namespace Horizon.Docker;

/// <summary>An ordered, escaped query string; absent values are left out.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder _text = new();

    public QueryString Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }
        _text.Append(_text.Length == 0 ? '?' : '&')
            .Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    public QueryString Add(string name, long? value) =>
        Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public QueryString Add(string name, bool value) => Add(name, value ? "1" : "0");

    public override string ToString() => _text.ToString();
}
