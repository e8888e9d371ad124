using System.Threading.Channels;
using Horizon.Agbot.Hosting;
using Horizon.Agbot.Storage;
using Horizon.Exchange.Client;

namespace Horizon.Agbot.Governance;

/// <summary>
/// Mirrors finalized agreements into the exchange's agbot agreement records, so users can list
/// them (<c>hzn exchange agbot listagreement</c>). The local store is the truth, so the mirror is
/// written off the negotiation path: <see cref="Record"/> and <see cref="Remove"/> only note what
/// the exchange should hold, and <see cref="AgbotOptions.RecorderConcurrency"/> writers catch up.
/// Only the newest wish per agreement is kept, and one agreement is never written by two writers at
/// once, so a removal cannot overtake its record. A write that fails is tried again after a pause;
/// what a crash takes out of memory the governor brings back (<see cref="EnsureRecorded"/>).
/// </summary>
public sealed partial class ExchangeAgreementRecorder(ExchangeClient exchange, AgbotOptions options, TimeProvider time, ILogger<ExchangeAgreementRecorder> logger) : BackgroundService
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(2);
    private const int Attempts = 5;

    private readonly object _gate = new();
    private readonly Dictionary<string, Wish> _wishes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _writing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _recorded = new(StringComparer.Ordinal);

    // Unbounded on purpose: an agreement id is queued at most once while it waits (later wishes
    // replace earlier ones), so the queue never holds more than the agbot's agreements.
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = false });

    /// <summary>Agreement records not yet written (for status and benchmarks).</summary>
    public int Backlog
    {
        get
        {
            lock (_gate)
            {
                return _wishes.Count + _writing.Count;
            }
        }
    }

    /// <summary>Notes that the exchange should hold <paramref name="agreement"/>; returns at once.</summary>
    public void Record(AgreementRecord agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        Note(agreement.Id, new Wish(agreement, 1));
    }

    /// <summary>Notes that the exchange should no longer hold the agreement; returns at once.</summary>
    public void Remove(string agreementId)
    {
        ArgumentException.ThrowIfNullOrEmpty(agreementId);
        Note(agreementId, new Wish(null, 1));
    }

    /// <summary>Records <paramref name="agreement"/> unless this process already wrote or queued it (after a restart, it writes each once).</summary>
    public void EnsureRecorded(AgreementRecord agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        lock (_gate)
        {
            if (_recorded.Contains(agreement.Id) || _wishes.ContainsKey(agreement.Id) || _writing.Contains(agreement.Id))
            {
                return;
            }
        }
        Record(agreement);
    }

    private void Note(string id, Wish wish)
    {
        lock (_gate)
        {
            var waiting = _wishes.ContainsKey(id);
            _wishes[id] = wish;
            if (!waiting && !_writing.Contains(id))
            {
                _ready.Writer.TryWrite(id);
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.RecorderConcurrency).Select(_ => WriteAsync(stoppingToken)));

    private async Task WriteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var id in _ready.Reader.ReadAllAsync(stoppingToken))
            {
                Wish? wish;
                lock (_gate)
                {
                    if (!_wishes.Remove(id, out wish))
                    {
                        continue;
                    }
                    _writing.Add(id);
                }
                var done = await ApplyAsync(id, wish, stoppingToken);
                lock (_gate)
                {
                    _writing.Remove(id);
                    if (done && wish.Agreement is not null)
                    {
                        _recorded.Add(id);
                    }
                    else if (done)
                    {
                        _recorded.Remove(id);
                    }
                    if (!done && wish.Attempt < Attempts && !_wishes.ContainsKey(id))
                    {
                        RetryLater(id, wish with { Attempt = wish.Attempt + 1 }, stoppingToken);
                    }
                    else if (_wishes.ContainsKey(id))
                    {
                        _ready.Writer.TryWrite(id);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void RetryLater(string id, Wish wish, CancellationToken stoppingToken) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(RetryPause * wish.Attempt, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return; // Stopping: the governor's first pass after the restart writes it.
            }
            lock (_gate)
            {
                if (_wishes.ContainsKey(id) || _writing.Contains(id))
                {
                    return; // A newer wish supersedes the retry.
                }
            }
            Note(id, wish);
        }, CancellationToken.None);

    /// <returns>True when the exchange holds what was wished.</returns>
    private async Task<bool> ApplyAsync(string id, Wish wish, CancellationToken cancellationToken)
    {
        try
        {
            if (wish.Agreement is { } agreement)
            {
                await exchange.PutAgbotAgreementAsync(options.Org, options.Id, id, new AgbotAgreement
                {
                    Id = id,
                    Service = new AgreementServiceRef { Orgid = agreement.ServiceOrg, Pattern = agreement.Source, Url = agreement.ServiceUrl },
                    State = agreement.State == AgreementState.Finalized ? "finalized" : agreement.State.ToString().ToLowerInvariant(),
                }, cancellationToken);
            }
            else
            {
                await exchange.DeleteAgbotAgreementAsync(options.Org, options.Id, id, cancellationToken);
            }
            return true;
        }
        catch (ExchangeNotFoundException) when (wish.Agreement is null)
        {
            return true; // Never recorded (cancelled before it was finalized): nothing to remove.
        }
        catch (Exception e) when (e is ExchangeException or HttpRequestException || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogFailed(id, wish.Agreement is null ? "remove" : "record", wish.Attempt, e.Message);
            return false;
        }
    }

    /// <summary>What the exchange should hold for one agreement: the record, or nothing (null).</summary>
    private sealed record Wish(AgreementRecord? Agreement, int Attempt);

    [LoggerMessage(EventId = 8501, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: could not {Action} the exchange's agbot agreement record (attempt {Attempt}): {Error}")]
    private partial void LogFailed(string agreementId, string action, int attempt, string error);
}
