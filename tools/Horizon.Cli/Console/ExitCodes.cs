namespace Horizon.Cli;

/// <summary>
/// What <c>hzn</c>'s exit status means, so scripts can react without parsing text.
/// Documented in tools/README.md; never renumber.
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad usage or bad input: unknown option, malformed or invalid file, unset variable.</summary>
    public const int Usage = 1;

    /// <summary>The thing named does not exist (exchange 404, no such image or tag, no such agreement).</summary>
    public const int NotFound = 2;

    /// <summary>Credentials missing, wrong, or not allowed to do this (exchange 401/403, registry refused the login).</summary>
    public const int Unauthorized = 3;

    /// <summary>The change conflicts with what exists (exchange 409, node already registered).</summary>
    public const int Conflict = 4;

    /// <summary>A component could not be reached: exchange, node agent or Docker engine.</summary>
    public const int Unreachable = 5;

    /// <summary>A component answered with an error not covered above (5xx, engine failure).</summary>
    public const int RemoteFailure = 6;

    /// <summary><c>hzn deploycheck</c>: not compatible; <c>hzn register --wait</c>: did not finish in time.</summary>
    public const int NotSatisfied = 7;
}
