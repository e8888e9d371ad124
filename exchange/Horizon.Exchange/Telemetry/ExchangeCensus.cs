using System.Data.Common;
using System.Diagnostics.Metrics;
using Horizon.Exchange.Hosting;
using Horizon.Exchange.Storage;
using Horizon.Hosting.Telemetry;

namespace Horizon.Exchange.Telemetry;

/// <summary>
/// Counts nodes by org and state (online, offline, new: never heartbeated) and the largest
/// heartbeat lag among online nodes, every <see cref="Interval"/>, for the gauges of meter
/// <c>Horizon.Exchange</c>. A scrape reads the last count, so it costs the same with 10 or 10,000 nodes.
/// </summary>
public sealed partial class ExchangeCensus : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly IStorageProvider _storage;
    private readonly ExchangeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ExchangeCensus> _logger;
    private volatile IReadOnlyList<OrgNodes> _last = [];

    public ExchangeCensus(IStorageProvider storage, ExchangeOptions options, IMeterFactory meters, TimeProvider time, ILogger<ExchangeCensus> logger)
    {
        _storage = storage;
        _options = options;
        _time = time;
        _logger = logger;
        var meter = meters.Create(HorizonMeters.Exchange);
        meter.CreateObservableGauge("horizon.exchange.nodes", () => _last.Select(n =>
                new Measurement<long>(n.Count, new("org", n.Org), new("state", n.State))),
            "{node}", $"Nodes by org and state: online (heartbeat within Exchange:NodeOfflineAfter), offline, new (never heartbeated)");
        meter.CreateObservableGauge("horizon.exchange.heartbeat.lag", () => _last.Where(n => n.State == "online").Select(n =>
                new Measurement<double>(n.MaxLagSeconds, new KeyValuePair<string, object?>("org", n.Org))),
            "s", "The longest time since the last heartbeat among an org's online nodes");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        do
        {
            try
            {
                _last = await CountAsync(stoppingToken);
            }
            catch (DbException e)
            {
                LogCountFailed(e.Message);
            }
            catch (InvalidOperationException e)
            {
                // The schema is not there yet on the very first pass of a fresh database.
                LogCountFailed(e.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>One grouped scan of the nodes table.</summary>
    public async Task<IReadOnlyList<OrgNodes>> CountAsync(CancellationToken cancellationToken = default) =>
        [.. (await NodeStateCounts.CountAsync(_storage, _time.GetUtcNow(), _options.NodeOfflineAfter, cancellationToken: cancellationToken))
            .Select(c => new OrgNodes(c.Org, c.State, c.Count, c.MaxLag.TotalSeconds))];

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Counting nodes for metrics failed; the gauges keep the last count: {Error}")]
    private partial void LogCountFailed(string error);

    /// <summary>How many of an org's nodes are in one state.</summary>
    public sealed record OrgNodes(string Org, string State, long Count, double MaxLagSeconds);
}
