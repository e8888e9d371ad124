using Horizon.Agreements;
using Horizon.FleetSim.Engine;
using Horizon.FleetSim.Options;
using NATS.Client.Core;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Messaging;
using Horizon.NodeAgent.Registration;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.FleetSim.Nodes;

/// <summary>
/// One simulated node: registers itself with its own identity and keys, then runs its mailbox,
/// heartbeats and container supervision until stopped, unless it is one of the nodes told to go
/// offline right after registering.
/// </summary>
internal sealed class SimulatedNode : IAsyncDisposable
{
    private readonly SimulatedNodeParts _parts;
    private readonly NodeRegistration _registration;
    private readonly INodeObserver _observer;
    private CancellationTokenSource _stop = new();
    private NodeMessagingService? _messaging;
    private int _started;
    private string? _runningAgreement;
    private string? _runningImage;

    public SimulatedNode(int index, NodeBehaviour behaviour, NodeSettings settings, HttpClient exchangeHttp, INodeObserver observer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Index = index;
        Behaviour = behaviour;
        _observer = observer;
        var id = FleetPlan.NodeId(index);
        var options = new NodeAgentOptions
        {
            NodeId = id,
            Organization = settings.Org,
            ExchangeUrl = settings.ExchangeUrl,
            NatsUrl = settings.NatsUrl,
            JetStreamDomain = settings.JetStreamDomain ?? "",
            StateDirectory = Path.Combine(settings.StateDirectory, id),
            HeartbeatInterval = settings.HeartbeatInterval,
        };
        Directory.CreateDirectory(options.StateDirectory);
        var engine = new RecordingEngine(
            behaviour == NodeBehaviour.CrashLooping ? TimeSpan.FromMilliseconds(50) : null,
            OnWorkloadStarted,
            settings.Restartable ? Path.Combine(options.StateDirectory, "engine.json") : null);
        _parts = new SimulatedNodeParts(options, engine, behaviour == NodeBehaviour.Rejecting ? "s390x" : null, exchangeHttp, settings.InboxIdleCheck);
        _registration = new NodeRegistration
        {
            Id = id,
            Token = FleetPlan.TokenOf(settings.Seed, index),
            Org = settings.Org,
            Name = id,
            Pattern = $"{settings.Org}/{settings.Pattern}",
        };
    }

    private const int RegistrationAttempts = 5;

    public int Index { get; }

    public NodeBehaviour Behaviour { get; }

    /// <summary>Containers started on this node so far (restarts included).</summary>
    public int ContainerStarts => _parts.Engine.StartCount;

    /// <summary>What the agent's host does first at start: its database migrated, its registration read.</summary>
    public Task OpenStateAsync(CancellationToken cancellationToken) => _parts.OpenStateAsync(cancellationToken);

    /// <summary>Whether the node registered in an earlier life of its process (its registration is in its state folder).</summary>
    public bool IsRegistered => _parts.Registrations.Current is not null;

    /// <summary>
    /// After its process was killed and started again: does what the agent's start-up does
    /// (<c>AgentStartup</c>: an interrupted update settled, every active agreement's workload
    /// re-adopted, not restarted), then starts the node's loops. Reports the agreement it runs.
    /// </summary>
    public async Task ResumeAsync(NatsConnection connection, MailboxStores stores, CancellationToken cancellationToken)
    {
        if (_parts.Engine.RunningWorkload is { } running)
        {
            // What the engine ran before the kill; a start of it now would be a duplicate.
            _runningAgreement = running.Agreement;
            _runningImage = running.Image;
            _started = 1;
            _observer.Resumed(Index, running.Agreement);
        }
        if (Behaviour == NodeBehaviour.Offline)
        {
            return;
        }
        await _parts.Upgrader.PrepareForRestoreAsync(cancellationToken);
        await _parts.Lifecycle.RestoreAsync([], cancellationToken);
        await _parts.Upgrader.ResumeStagedAsync(cancellationToken);
        await StartLoopsAsync(connection, stores);
    }

    /// <summary>
    /// Registers as <c>hzn register</c> would have the agent do (keys created, node record updated
    /// with them and the pattern), then starts the node's loops.
    /// </summary>
    /// <returns>False when the exchange refused; the observer has the reason.</returns>
    public async Task<bool> RegisterAndRunAsync(NatsConnection connection, MailboxStores stores, CancellationToken cancellationToken)
    {
        // As an operator re-running `hzn register` would: an exchange that is unreachable, overloaded
        // or too slow to answer (the HTTP client gives up after 100 s) gets a few more attempts.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _parts.Registrar.RegisterAsync(_registration, cancellationToken);
                break;
            }
            catch (ArgumentException e)
            {
                _observer.Failed(Index, $"registration: {e.Message}");
                return false;
            }
            catch (Exception e) when (e is HttpRequestException or Exchange.Client.ExchangeException
                || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (attempt == RegistrationAttempts)
                {
                    _observer.Failed(Index, $"registration: {attempt} attempts failed, the last with {e.GetType().Name}: {e.Message}");
                    return false;
                }
                _observer.Failed(Index, $"retrying registration after {e.GetType().Name}: {e.Message}");
                await Task.Delay(TimeSpan.FromSeconds(2 * attempt), cancellationToken);
            }
        }
        _observer.Registered(Index);
        if (Behaviour == NodeBehaviour.Offline)
        {
            // Gone right after registering: no mailbox, no heartbeats.
            return true;
        }
        await StartLoopsAsync(connection, stores);
        return true;
    }

    /// <summary>
    /// Leaves as <c>hzn unregister</c> has the agent do — every active agreement cancelled (the cancels
    /// queued in the outbox, the workload stopped), the node record deleted from the exchange, the
    /// registration forgotten — then stops the node's loops. <see cref="RegisterAndRunAsync"/> joins again.
    /// </summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        await _parts.Registrar.UnregisterAsync(cancellationToken);
        // The outbox's cancels go out before the mailbox stops (the agbot hears of the deletion from
        // the exchange too); a cancel still queued is sent after the node joins again, and dropped then
        // by the agbot as a late cancel of an agreement already ended.
        for (var waited = 0; waited < 100 && (await _parts.Outbox.ListDueAsync(cancellationToken)).Count > 0; waited++)
        {
            await Task.Delay(50, cancellationToken);
        }
        await StopLoopsAsync();
        Interlocked.Exchange(ref _runningAgreement, null);
        Interlocked.Exchange(ref _runningImage, null);
        Interlocked.Exchange(ref _started, 0);
        _observer.Left(Index);
    }

    private async Task StopLoopsAsync()
    {
        await _stop.CancelAsync();
        if (_messaging is not null)
        {
            await _messaging.StopAsync(CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _messaging.Dispose();
            _messaging = null;
        }
        await _parts.Reporter.StopAsync(CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _parts.Supervisor.StopAsync(CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _stop = new CancellationTokenSource();
    }

    private async Task StartLoopsAsync(NatsConnection connection, MailboxStores stores)
    {
        await _parts.Supervisor.StartAsync(_stop.Token);
        await _parts.Reporter.StartAsync(_stop.Token);
        _messaging = _parts.Messaging(connection, stores, OnSent, OnDelivered);
        await _messaging.StartAsync(_stop.Token);
    }

    private void OnDelivered(MailboxDelivery delivery)
    {
        if (delivery is { Outcome: DeliveryOutcome.Handled, Envelope: { } envelope })
        {
            _observer.Handled(Index, envelope.Id);
        }
    }

    // The simulator counts protocol messages; the mailbox's own outcomes (refused, poisoned) are not counted.
    private void OnSent(PartyAddress to, AgreementMessage message)
    {
        switch (message)
        {
            case ProposalReply { Decision: false } declined:
                _observer.Declined(Index, declined.Reason ?? 0);
                break;
            case CancelAgreement cancel:
                _observer.CancelSent(Index, cancel.Reason);
                break;
            case UpdateAgreementReply reply:
                _observer.UpdateReplied(Index, reply.Accepted, reply.Reason ?? 0);
                break;
        }
    }

    private void OnWorkloadStarted(string agreementId, string image)
    {
        // The first start is the agreement taking effect; later ones are the supervisor's restarts,
        // an upgrade's start of the new version (same agreement, another image), or the start of a
        // new agreement after the first one ended.
        var previousImage = Interlocked.Exchange(ref _runningImage, image);
        var previous = Interlocked.Exchange(ref _runningAgreement, agreementId);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _observer.WorkloadStarted(Index, agreementId);
        }
        else if (previous is not null && previous != agreementId)
        {
            _observer.ReplacedAgreementStarted(Index, agreementId);
        }
        else if (previous == agreementId && Behaviour == NodeBehaviour.Healthy && (previousImage is null || previousImage == image))
        {
            // A healthy node's containers never die here, so no supervisor restart explains it.
            _observer.StartedTwice(Index, agreementId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopLoopsAsync();
        _parts.Dispose();
        _stop.Dispose();
    }
}
