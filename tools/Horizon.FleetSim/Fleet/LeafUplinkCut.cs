using System.Diagnostics;
using System.Globalization;
using Horizon.Agbot.Storage;
using Horizon.FleetSim.Options;
using Horizon.Switchboard.Mailboxes;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// <c>--cut-leaf-at T --cut-leaf-for D</c>: cuts the edge site's uplink (the leaf's connections to
/// the hub reset, new ones refused) at T after the start signal and restores it D later. While it is
/// cut, what the agbot sends to the site's nodes waits in the hub's stream and what the nodes send
/// waits in the site's outbox; the run counts both. The agreements in force when the cut began must
/// still be in force afterwards (the workloads kept running; nothing was renegotiated).
/// </summary>
internal sealed class LeafUplinkCut
{
    private readonly HashSet<string> _inForceAtCut;

    private LeafUplinkCut(HashSet<string> inForceAtCut) => _inForceAtCut = inForceAtCut;

    /// <summary>Null when no cut was asked for.</summary>
    public static async Task<LeafUplinkCut?> RunAsync(FleetEnvironment environment, FleetOptions options, Stopwatch clock, TextWriter output, CancellationToken cancellationToken)
    {
        if (options.CutLeafAt is not { } at || environment.LeafUplink is not { } uplink || environment.Leaf is not { } leaf)
        {
            return null;
        }
        var c = CultureInfo.InvariantCulture;
        if (at - clock.Elapsed is { Ticks: > 0 } wait)
        {
            await Task.Delay(wait, cancellationToken);
        }
        var inForce = (await environment.AgreementStore.ListAsync(new AgreementQuery { State = AgreementState.Finalized, Limit = 1_000_000 }, cancellationToken))
            .Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        await using var hubAdmin = environment.Nats.ServiceConnection("fleet-leaf-cut-hub");
        await using var leafAdmin = leaf.ServiceConnection("fleet-leaf-cut-edge");
        var hubBefore = await LastSequenceAsync(hubAdmin, MailboxSubjects.Stream, cancellationToken);
        var edgeBefore = await LastSequenceAsync(leafAdmin, EdgeOutboxSetup.Stream, cancellationToken);
        await uplink.StopAsync();
        output.WriteLine(string.Create(c, $"  fault: leaf uplink cut at t={clock.Elapsed.TotalSeconds:0.0}s for {options.CutLeafFor.TotalSeconds:0}s ({inForce.Count} agreements in force)"));
        await Task.Delay(options.CutLeafFor, cancellationToken);
        var hubDuring = await LastSequenceAsync(hubAdmin, MailboxSubjects.Stream, cancellationToken) - hubBefore;
        var edgeDuring = await LastSequenceAsync(leafAdmin, EdgeOutboxSetup.Stream, cancellationToken) - edgeBefore;
        uplink.Start();
        output.WriteLine(string.Create(c,
            $"  fault: leaf uplink restored at t={clock.Elapsed.TotalSeconds:0.0}s; stored during the cut: {hubDuring} at the hub (to nodes, and node messages sourced before the cut), {edgeDuring} in the site's outbox (from nodes)"));
        return new LeafUplinkCut(inForce);
    }

    /// <summary>Violations once the fleet settled: an agreement in force when the cut began that is not any more.</summary>
    public async Task<IReadOnlyList<string>> CheckAfterAsync(IAgreementStore store, TextWriter output, CancellationToken cancellationToken)
    {
        var now = (await store.ListAsync(new AgreementQuery { State = AgreementState.Finalized, Limit = 1_000_000 }, cancellationToken))
            .Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var ended = _inForceAtCut.Where(id => !now.Contains(id)).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  leaf cut: {_inForceAtCut.Count - ended.Count}/{_inForceAtCut.Count} agreements in force at the cut still in force"));
        return [.. ended.Select(id => $"agreement {id} was in force when the leaf's uplink was cut and is not any more")];
    }

    // Read from each side's own JetStream ($JS.API on the hub, the leaf's own on the site), so it
    // works while the uplink is down.
    private static async Task<ulong> LastSequenceAsync(NatsConnection connection, string stream, CancellationToken cancellationToken)
    {
        var info = await new NatsJSContext(connection).GetStreamAsync(stream, cancellationToken: cancellationToken);
        return info.Info.State.LastSeq;
    }
}
