using System.Globalization;
using System.Text;

namespace Horizon.Exchange.Client;

/// <summary>
/// The NATS subjects of the exchange's change notifications, <c>hzn.changes.&lt;org&gt;.&lt;resource&gt;</c>.
/// Listeners and the switchboard's permissions must spell them exactly as the exchange publishes them.
/// </summary>
public static class ChangeSubjects
{
    public static string For(string org, string resource) => $"hzn.changes.{Token(org)}.{Token(resource)}";

    /// <summary>Every change of one org: <c>hzn.changes.&lt;org&gt;.&gt;</c>.</summary>
    public static string AllOf(string org) => $"hzn.changes.{Token(org)}.>";

    /// <summary>Characters NATS gives meaning to (and '%' itself) become <c>%XX</c>; the rest stays readable.</summary>
    public static string Token(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '.' or '*' or '>' or '%' || char.IsWhiteSpace(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
