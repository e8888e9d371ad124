using System.Collections;
using Microsoft.Extensions.Logging;

namespace Horizon.Hosting.Logging;

/// <summary>
/// Puts an agreement id in the logging scope, so every line logged while an agreement's message is
/// handled carries <c>AgreementId</c> as a structured field (the JSON console formatter writes it
/// under <c>Scopes</c>; the simple one prints <c>=&gt; agreement 3f…</c>).
/// </summary>
public static class AgreementLogScope
{
    public const string Field = "AgreementId";

    /// <summary>Begins the scope; dispose it when the agreement's work is done.</summary>
    public static IDisposable? BeginAgreementScope(this ILogger logger, string agreementId)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return logger.BeginScope(new AgreementScope(agreementId));
    }

    private sealed class AgreementScope(string agreementId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public KeyValuePair<string, object?> this[int index] =>
            index == 0 ? new(Field, agreementId) : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => 1;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"agreement {agreementId}";
    }
}
