using System.CommandLine;
using Horizon.Exchange.Client;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn exchange user list|add|update|remove</c>, in the org of -o / HZN_ORG_ID.</summary>
internal static class UserCommands
{
    /// <summary>Where <c>user add</c> takes the password from when none is given.</summary>
    public const string PasswordVariable = "HZN_NEW_USER_PASSWORD";

    public static Command Create(CommandKit kit)
    {
        var listName = Optional("user", "One user to show");
        var longForm = new Option<bool>("--long", "-l") { Description = "Show every user in full (Open Horizon's -l)" };
        var list = kit.Command("list|ls", "List the org's users, or show one", async (invocation, cancellationToken) =>
        {
            var exchange = invocation.Exchange();
            var org = invocation.Org;
            IReadOnlyList<ExchangeUser> users = invocation.GetValue(listName) is { } one
                ? [await exchange.GetUserAsync(org, one, cancellationToken)]
                : await exchange.ListUsersAsync(org, cancellationToken);
            static string Name(string org, ExchangeUser u) => u.Username?.Contains('/', StringComparison.Ordinal) == true ? u.Username : $"{org}/{u.Username}";
            ShowList(invocation, users, u => Name(org, u), ExchangeJsonContext.Default.ExchangeUser, invocation.GetValue(listName) is not null || invocation.GetValue(longForm),
                ["USER", "ADMIN", "EMAIL", "UPDATED"], u => [Name(org, u), u.Admin == true ? "yes" : "no", u.Email, u.LastUpdated]);
        }, listName, longForm);

        var addName = Required("user", "The new user's name");
        var addPassword = Optional("password", $"The new user's password: '-' reads it from standard input; left out, from {PasswordVariable}");
        var admin = new Option<bool>("--admin", "-A") { Description = "Make the user an org admin" };
        var email = new Option<string?>("--email", "-e") { Description = "The user's email address" };
        var add = kit.Command("add", "Create a user in the org (org admin)", async (invocation, cancellationToken) =>
        {
            var user = invocation.GetValue(addName);
            await invocation.Exchange().PutUserAsync(invocation.Org, user, new ExchangeUser
            {
                Password = SecretInput.Resolve(invocation.Environment, invocation.GetValue(addPassword), PasswordVariable, "password"),
                Admin = invocation.GetValue(admin),
                Email = invocation.GetValue(email),
            }, cancellationToken);
            invocation.Out.WriteLine($"user {invocation.Org}/{user} added");
        }, addName, addPassword, admin, email);
        add.Aliases.Add("create");

        var updateName = Required("user", "The user to change");
        var password = new Option<string?>("--password", "-p") { Description = "A new password: '-' reads it from standard input (a password written here is refused)" };
        var update = kit.Command("update", "Change a user's password, admin flag or email", async (invocation, cancellationToken) =>
        {
            var user = invocation.GetValue(updateName);
            var newPassword = SecretInput.ResolveChange(invocation.Environment, invocation.GetValue(password), "--password", "password");
            var exchange = invocation.Exchange();
            var current = await exchange.GetUserAsync(invocation.Org, user, cancellationToken);
            await exchange.PutUserAsync(invocation.Org, user, current with
            {
                Password = newPassword,
                Admin = invocation.GetValue(admin) ? true : current.Admin,
                Email = invocation.GetValue(email) ?? current.Email,
                LastUpdated = null,
                UpdatedBy = null,
            }, cancellationToken);
            invocation.Out.WriteLine($"user {invocation.Org}/{user} updated");
        }, updateName, password, admin, email);

        var removeName = Required("user", "The user to remove");
        var remove = kit.Command("remove", "Remove a user", async (invocation, cancellationToken) =>
        {
            var user = invocation.GetValue(removeName);
            await invocation.Exchange().DeleteUserAsync(invocation.Org, user, cancellationToken);
            invocation.Out.WriteLine($"user {invocation.Org}/{user} removed");
        }, removeName);

        return CommandKit.Group("user", "Users of the org", list, add, update, remove);
    }
}
