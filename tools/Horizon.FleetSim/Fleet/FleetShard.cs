using System.Diagnostics;
using Horizon.FleetSim.Nodes;
using Horizon.FleetSim.Options;
using Horizon.Switchboard.Messaging;
using NATS.Client.Core;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// Simulates the nodes of one <see cref="ShardPlan"/> in this process: prepares them (state
/// folders, SQLite files), reports <see cref="FleetEventKind.Ready"/>, waits for the start signal,
/// registers them at the plan's pace and keeps them running until stopped, meanwhile having a node
/// leave or join again when a <see cref="ShardCommand"/> says so.
/// </summary>
internal sealed class FleetShard(ShardPlan plan, Action<FleetEvent> sink)
{
    public async Task RunAsync(Task startSignal, CancellationToken stopping, System.Threading.Channels.ChannelReader<ShardCommand>? commands = null)
    {
        var fleet = new FleetPlan(plan.TotalCount, plan.RejectFraction, plan.CrashLoopFraction, plan.OfflineFraction, plan.Seed);
        var observer = new ShardObserver(sink, fleet.BehaviourOf);
        var settings = new NodeSettings
        {
            ExchangeUrl = plan.ExchangeUrl,
            NatsUrl = plan.NatsUrl,
            Org = plan.Org,
            Pattern = plan.Pattern,
            StateDirectory = plan.StateDirectory,
            Seed = plan.Seed,
            HeartbeatInterval = TimeSpan.FromSeconds(plan.HeartbeatSeconds),
            InboxIdleCheck = TimeSpan.FromSeconds(plan.InboxIdleCheckSeconds),
            JetStreamDomain = plan.JetStreamDomain,
            Restartable = plan.Restartable,
        };
        using var exchangeHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 });
        var nodes = Enumerable.Range(plan.FirstIndex, plan.Count)
            .Select(index => new SimulatedNode(index, fleet.BehaviourOf(index), settings, exchangeHttp, observer))
            .ToList();
        var connections = new List<NatsConnection>();
        // One replay window and poison log for the shard's nodes instead of two SQLite files per
        // node: creating those was a third of the node processes' CPU in a registration wave.
        using var replay = new SqliteReplayWindow(Path.Combine(plan.StateDirectory, $"shard-{plan.FirstIndex}-replay.db"), TimeProvider.System, EnvelopeOptions.Default.ClockSkew);
        using var poison = new PoisonMessageLog(Path.Combine(plan.StateDirectory, $"shard-{plan.FirstIndex}-poison.db"), TimeProvider.System);
        var stores = new MailboxStores(replay, poison);
        try
        {
            foreach (var node in nodes)
            {
                await node.OpenStateAsync(stopping);
            }
            for (var i = 0; i < (plan.Count + plan.NodesPerConnection - 1) / plan.NodesPerConnection; i++)
            {
                connections.Add(await ConnectAsync($"fleet-sim-{plan.FirstIndex}-{i}", stopping));
            }
            sink(new FleetEvent(FleetEventKind.Ready, plan.FirstIndex, 0));
            await startSignal.WaitAsync(stopping);
            observer.Start();
            NatsConnection ConnectionOf(SimulatedNode node) => connections[(node.Index - plan.FirstIndex) / plan.NodesPerConnection];
            var churn = commands is null
                ? Task.CompletedTask
                : RunCommandsAsync(commands, nodes, node => node.RegisterAndRunAsync(ConnectionOf(node), stores, stopping), observer, stopping);
            var toRegister = nodes;
            if (plan.Resume)
            {
                var resumed = nodes.Where(n => n.IsRegistered).ToList();
                await Task.WhenAll(resumed.Select(n => n.ResumeAsync(ConnectionOf(n), stores, stopping)));
                toRegister = [.. nodes.Except(resumed)];
            }
            if (plan.Sequential)
            {
                foreach (var node in toRegister)
                {
                    if (await node.RegisterAndRunAsync(ConnectionOf(node), stores, stopping))
                    {
                        await observer.SettledAsync(node.Index).WaitAsync(stopping);
                    }
                }
            }
            else
            {
                await RegisterPacedAsync(toRegister, node => node.RegisterAndRunAsync(ConnectionOf(node), stores, stopping), stopping);
            }
            await Task.Delay(Timeout.Infinite, stopping);
            await churn;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            // Stop every node (mailbox sessions, reporters, supervisors) before their connections go.
            await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask()));
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Has a node leave, or join again, as each command arrives; one node's failure is reported, not fatal.</summary>
    private async Task RunCommandsAsync(System.Threading.Channels.ChannelReader<ShardCommand> commands, List<SimulatedNode> nodes,
        Func<SimulatedNode, Task<bool>> join, ShardObserver observer, CancellationToken stopping)
    {
        await foreach (var command in commands.ReadAllAsync(stopping))
        {
            if (nodes.ElementAtOrDefault(command.Index - plan.FirstIndex) is not { } node)
            {
                continue;
            }
            try
            {
                if (command.Leave)
                {
                    await node.LeaveAsync(stopping);
                }
                else
                {
                    await join(node);
                }
            }
#pragma warning disable CA1031 // Reported as the node's failure; the other nodes go on.
            catch (Exception e) when (!stopping.IsCancellationRequested)
#pragma warning restore CA1031
            {
                observer.Failed(node.Index, $"{command.ToLine()}: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    // Ten processes starting at once on a loaded 2-core machine can miss the client's 2 s handshake
    // deadline; a simulator process must not die of that.
    private async Task<NatsConnection> ConnectAsync(string name, CancellationToken stopping)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = NatsConnections.Service(plan.NatsUrl, name, plan.NatsCredentialsFile);
            try
            {
                await connection.ConnectAsync();
                return connection;
            }
            catch (NatsException) when (attempt < 5)
            {
                await connection.DisposeAsync();
                await Task.Delay(TimeSpan.FromSeconds(attempt), stopping);
            }
        }
    }

    /// <summary>Starts registrations at the plan's rate (0: as fast as the concurrency allows), a bounded number in flight.</summary>
    private async Task RegisterPacedAsync(List<SimulatedNode> nodes, Func<SimulatedNode, Task<bool>> register, CancellationToken stopping)
    {
        using var slots = new SemaphoreSlim(plan.RegistrationConcurrency);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            if (plan.RegistrationRate > 0)
            {
                var due = TimeSpan.FromSeconds(i / plan.RegistrationRate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, stopping);
                }
            }
            await slots.WaitAsync(stopping);
            var node = nodes[i];
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    await register(node);
                }
#pragma warning disable CA1031 // One node's failure is reported and counted; it must not end the other nodes' simulation.
                catch (Exception e) when (!stopping.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    sink(new FleetEvent(FleetEventKind.Failed, node.Index, 0, 0, $"registration: {e.GetType().Name}: {e.Message}"));
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(inFlight);
    }
}
