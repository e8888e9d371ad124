namespace Horizon.Hosting.Settings;

/// <summary>The entry point every deployable's <c>Program.cs</c> shares.</summary>
public static class ServiceMain
{
    /// <summary>
    /// Runs the host built and started by <paramref name="run"/>. Unusable settings, and files or folders
    /// that cannot be used (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>), end the process
    /// with their message on standard error and exit code <see cref="InvalidSettingsException.ExitCode"/>
    /// (no stack trace: the operator has a setting to fix, not a bug to report).
    /// </summary>
    public static async Task<int> RunAsync(Func<Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            await run();
            return 0;
        }
        catch (InvalidSettingsException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return InvalidSettingsException.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file or folder a setting names is missing, unreadable or too open, or a port is taken: the message
            // names it, and the operator has that to fix, so the same exit code and no stack trace.
            await Console.Error.WriteLineAsync($"stopped: {e.Message}");
            return InvalidSettingsException.ExitCode;
        }
    }
}
