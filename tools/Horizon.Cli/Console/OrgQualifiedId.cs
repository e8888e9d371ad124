namespace Horizon.Cli;

/// <summary>
/// Open Horizon's <c>org/name</c> form of an id argument: a prefix names the org and overrides
/// <c>-o</c>/<c>HZN_ORG_ID</c>; a bare name is in the current org. More than one <c>/</c> is an error.
/// </summary>
internal static class OrgQualifiedId
{
    /// <exception cref="CliException">The id has more than one '/', or an empty part.</exception>
    public static (string Org, string Name) Split(string id, string defaultOrg, string what)
    {
        var parts = id.Split('/');
        return parts switch
        {
            [var name] when name.Length > 0 => (defaultOrg, name),
            [{ Length: > 0 } org, { Length: > 0 } name] => (org, name),
            [_, _] => throw new CliException(ExitCodes.Usage, $"{what} \"{id}\" must read name or org/name"),
            _ => throw new CliException(ExitCodes.Usage, $"{what} \"{id}\" has more than one '/': write name or org/name"),
        };
    }

    /// <summary><c>org/</c> (Open Horizon's "everything public in that org"), else null.</summary>
    public static string? OrgOnly(string id) =>
        id.Length > 1 && id.EndsWith('/') && id.IndexOf('/') == id.Length - 1 ? id[..^1] : null;
}
