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
}
