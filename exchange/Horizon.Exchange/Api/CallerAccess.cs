using Horizon.Exchange.Auth;

namespace Horizon.Exchange.Api;

/// <summary>Reads the authenticated caller that <see cref="CredentialFilter"/> put on the request.</summary>
internal static class CallerAccess
{
    private static readonly object Key = new();

    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[Key] = caller;

    /// <exception cref="InvalidOperationException">The endpoint is not behind <see cref="CredentialFilter"/>.</exception>
    public static Caller Caller(this HttpContext context) =>
        context.Items.TryGetValue(Key, out var value) && value is Caller caller
            ? caller
            : throw new InvalidOperationException("no authenticated caller on this request");
}
