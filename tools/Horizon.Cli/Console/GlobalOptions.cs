using System.CommandLine;

namespace Horizon.Cli;

/// <summary>Options every command accepts, wherever they appear on the line.</summary>
internal sealed class GlobalOptions
{
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON for scripts instead of tables", Recursive = true };

    public Option<string?> Org { get; } = new("--org", "-o") { Description = "The org to act in (default: HZN_ORG_ID)", Recursive = true };

    public Option<string?> UserPw { get; } = new("--user-pw", "-u")
    {
        Description = "Exchange credentials, [org/]user:password (default: HZN_EXCHANGE_USER_AUTH)",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Json);
        root.Options.Add(Org);
        root.Options.Add(UserPw);
    }
}
