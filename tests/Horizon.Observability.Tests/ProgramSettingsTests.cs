using Horizon.Testing.EndToEnd;

namespace Horizon.Observability.Tests;

/// <summary>Every deployable, started as an operator would with unusable settings, says which setting and exits 2.</summary>
public sealed class ProgramSettingsTests
{
    public static TheoryData<string, string[], string> Cases => new()
    {
        { "exchange", ["--Exchange:SqlitePath=x.db", "--Exchange:MaxPageSize=0", "--Exchange:NatsPassword=p"], "Exchange:MaxPageSize must be at least 1 (it is 0)" },
        { "switchboard", ["--Switchboard:NatsPassword=p"], "Switchboard:ExchangeCredentials is required" },
        { "agbot", ["--Agbot:Org=o", "--Agbot:Token=t", "--Agbot:Upgrades:BatchSize=0"], "Agbot:Id is required" },
        { "node agent", ["--NodeAgent:Organization=o", "--NodeAgent:ApiUrl=http://0.0.0.0:1"], "NodeAgent:NodeId is required" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Start_WithUnusableSettings_ExitsWith2NamingTheSettings(string component, string[] arguments, string expected)
    {
        var program = component switch
        {
            "exchange" => BuiltProgram.Exchange,
            "switchboard" => BuiltProgram.Switchboard,
            "agbot" => BuiltProgram.Agbot,
            _ => BuiltProgram.NodeAgent,
        };
        using var directory = new TempDirectory("hzn-settings");

        await using var process = program.Start(arguments, new Dictionary<string, string> { ["HOME"] = directory.Path }, directory.Path);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains($"the {component}'s settings are invalid: ", process.RecentOutput, StringComparison.Ordinal);
        Assert.Contains(expected, process.RecentOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", process.RecentOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// Settings given in the environment and on the command line, nested sections included, reach the
    /// program: only the one unusable value is named. The switchboard and the agbot bind with the
    /// configuration binder's source generator (NativeAOT), which skipped init-only members, so every
    /// setting read as its default and "required" was reported for settings that were given.
    /// The exchange's unusable value comes from a nested section of the environment.
    /// Set HZN_SWITCHBOARD_BINARY / HZN_AGBOT_BINARY / HZN_EXCHANGE_BINARY to check the published executables.
    /// </summary>
    public static TheoryData<string, string[], string, string> BoundCases => new()
    {
        { "switchboard", ["HZN_Switchboard__AuthorityDirectory=/var/lib/horizon/nats", "HZN_Switchboard__ExchangeCredentials=root/root:secret-value"],
            "--Switchboard:Stream:MaxBytes=1024", "Switchboard:Stream:MaxBytes must be at least 1048576 (it is 1024)" },
        { "agbot", ["Agbot__Org=o", "Agbot__Id=a", "Agbot__Token=t", "Agbot__Leases__Partitions=4"],
            "--Agbot:Upgrades:BatchSize=0", "Agbot:Upgrades:BatchSize must be at least 1 (it is 0)" },
        { "exchange", ["Exchange__SqlitePath=state/exchange.db", "Exchange__Enrollment__MaxPendingPerOrg=0"],
            "--Exchange:MaxPageSize=500", "Exchange:Enrollment:MaxPendingPerOrg must be at least 1 (it is 0)" },
    };

    [Theory]
    [MemberData(nameof(BoundCases))]
    public async Task Start_WithSettingsFromEnvironmentAndArguments_NamesOnlyTheUnusableOne(string component, string[] environment, string argument, string expected)
    {
        var program = component switch
        {
            "switchboard" => BuiltProgram.Switchboard,
            "agbot" => BuiltProgram.Agbot,
            _ => BuiltProgram.Exchange,
        };
        using var directory = new TempDirectory("hzn-settings");
        var variables = environment.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        variables["HOME"] = directory.Path;

        await using var process = program.Start([argument], variables, directory.Path);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        var settingsLine = process.RecentOutput.Split('\n').Single(l => l.Contains("settings are invalid: ", StringComparison.Ordinal));
        Assert.EndsWith($"settings are invalid: {expected}", settingsLine.TrimEnd(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A file or folder a setting names that cannot be used ends the start with exit 2 and a message naming it,
    /// not an unhandled exception's stack trace and SIGABRT's 134. Each case prepares its files in a fresh folder.
    /// </summary>
    public static TheoryData<string, string> FileCases => new()
    {
        { "exchange-nats-creds-missing", "Exchange:NatsCredentialsFile" },
        { "exchange-nats-creds-open", "chmod 600" },
        { "exchange-ca-incomplete", "Exchange:Enrollment:CaDirectory" },
        { "exchange-no-root-password", "HZN_EXCHANGE_ROOT_PASSWORD" },
        { "switchboard-credentials-open", "chmod 600" },
        { "switchboard-authority-missing", "nats-init" },
    };

    [Theory]
    [MemberData(nameof(FileCases))]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Start_WithAFileItCannotUse_ExitsWith2NamingIt_WithoutAStackTrace(string scenario, string expected)
    {
        using var directory = new TempDirectory("hzn-settings");
        var environment = new Dictionary<string, string> { ["HOME"] = directory.Path };
        var file = directory.Combine("secret");
        File.WriteAllText(file, "root/root:not-used");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var exchange = new[] { "--Exchange:SqlitePath=x.db", "--urls=http://127.0.0.1:0" };
        var password = new Dictionary<string, string>(environment) { ["Exchange__RootPassword"] = "not-used" };
        var (program, arguments, variables, path) = scenario switch
        {
            "exchange-nats-creds-missing" => (BuiltProgram.Exchange,
                [.. exchange, "--Exchange:NatsUrl=nats://127.0.0.1:1", $"--Exchange:NatsCredentialsFile={directory.Combine("missing.creds")}"], password, directory.Combine("missing.creds")),
            "exchange-nats-creds-open" => (BuiltProgram.Exchange,
                [.. exchange, "--Exchange:NatsUrl=nats://127.0.0.1:1", $"--Exchange:NatsCredentialsFile={file}"], password, file),
            "exchange-ca-incomplete" => (BuiltProgram.Exchange,
                [.. exchange, $"--Exchange:Enrollment:CaDirectory={CaWithoutKey(directory)}"], password, directory.Combine("ca", "ca.key")),
            "exchange-no-root-password" => (BuiltProgram.Exchange, exchange, environment, "Exchange:RootPassword"),
            "switchboard-credentials-open" => (BuiltProgram.Switchboard,
                [$"--Switchboard:ExchangeCredentialsFile={file}", $"--Switchboard:AuthorityDirectory={Authority(directory)}"], environment, file),
            _ => (BuiltProgram.Switchboard,
                ["--Switchboard:ExchangeCredentials=root/root:not-used", $"--Switchboard:AuthorityDirectory={directory.Combine("authority")}"], environment, directory.Combine("authority")),
        };

        await using var process = program.Start(arguments, variables, directory.Path);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        // A problem found by a hosted service as the host starts is also in the host's own error log, with its
        // stack; the last line is the one the operator reads.
        Assert.Equal(2, process.ExitCode);
        var last = process.RecentOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        Assert.Contains(path, last, StringComparison.Ordinal);
        Assert.Contains(expected, last, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", process.RecentOutput, StringComparison.Ordinal);
    }

    /// <summary>A NATS authority as `switchboard nats-init` makes it, by the program itself.</summary>
    private static string Authority(TempDirectory directory)
    {
        var authority = directory.Combine("authority");
        using var created = Horizon.Switchboard.Credentials.NatsAuthority.Initialize(authority);
        return authority;
    }

    private static string CaWithoutKey(TempDirectory directory)
    {
        var ca = directory.Combine("ca");
        Directory.CreateDirectory(ca);
        File.WriteAllText(Path.Combine(ca, "ca.crt"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        return ca;
    }
}
