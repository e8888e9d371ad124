namespace Horizon.FleetSim.Fleet;

/// <summary>The child side of <see cref="ShardProcess"/>: runs the shard, events to stdout, signals from stdin.</summary>
internal static class ShardHost
{
    public static async Task<int> RunAsync(string encodedPlan)
    {
        ShardPlan plan;
        try
        {
            plan = ShardPlan.Decode(encodedPlan);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"fleet-sim shard: {e.Message}");
            return 2;
        }
        // Before any SQLite connection of this process opens.
        if (Nodes.SqliteMemory.Trim() is { } problem)
        {
            await Console.Error.WriteLineAsync("fleet-sim shard: " + problem);
        }
        var output = Console.Out;
        var gate = new Lock();
        void Sink(FleetEvent fleetEvent)
        {
            lock (gate)
            {
                output.WriteLine(fleetEvent.ToLine());
            }
        }
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commands = System.Threading.Channels.Channel.CreateUnbounded<ShardCommand>();
        using var stop = new CancellationTokenSource();
        var control = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() is { } line)
            {
                if (line == "go")
                {
                    go.TrySetResult();
                }
                else if (line == "stop")
                {
                    break;
                }
                else if (ShardCommand.TryParse(line) is { } command)
                {
                    commands.Writer.TryWrite(command);
                }
            }
            // "stop", or the simulator went away.
            await stop.CancelAsync();
        });
        await new FleetShard(plan, Sink).RunAsync(go.Task, stop.Token, commands.Reader);
        return 0;
    }
}
