using System.Globalization;
using Horizon.Testing.Processes;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// Samples the CPU use of each component of a run (exchange, agbot, nats-server, node processes)
/// at every progress tick and keeps, per phase (formation, rollout), how much each used, its peak
/// and when it first saturated: used at least <see cref="SaturationCores"/> of a core over a tick.
/// Benchmark 7 asks which component saturates first.
/// </summary>
internal sealed class CpuMonitor
{
    /// <summary>A share of one core that counts as saturated: the .NET processes can use more than one core, nats-server too, but a component at one full core on this 2-core machine leaves the others at most one.</summary>
    public const double SaturationCores = 0.9;

    private readonly IReadOnlyList<CpuComponent> _components;
    private readonly double[] _lastSeconds;
    private readonly List<CpuPhase> _phases = [];
    private (double Busy, double Total)? _lastMachine;
    private TimeSpan _lastAt;

    public CpuMonitor(IReadOnlyList<CpuComponent> components)
    {
        _components = components;
        _lastSeconds = new double[components.Count];
    }

    public IReadOnlyList<CpuPhase> Phases => _phases;

    /// <summary>Starts a phase at <paramref name="at"/> (run clock); the next sample measures from here.</summary>
    public void BeginPhase(string name, TimeSpan at)
    {
        _phases.Add(new CpuPhase(name, [.. _components.Select(c => new ComponentCpu(c.Name))]));
        for (var i = 0; i < _components.Count; i++)
        {
            _lastSeconds[i] = _components[i].Seconds();
        }
        _lastMachine = ProcessCpu.Machine();
        _lastAt = at;
    }

    /// <summary>Samples every component; returns the interval's use in cores, for the progress line.</summary>
    public string Sample(TimeSpan at)
    {
        if (_phases.Count == 0)
        {
            BeginPhase("run", at);
            return "";
        }
        var phase = _phases[^1];
        var interval = (at - _lastAt).TotalSeconds;
        if (interval <= 0.2)
        {
            return "";
        }
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>(_components.Count + 1);
        for (var i = 0; i < _components.Count; i++)
        {
            var seconds = _components[i].Seconds();
            var cores = Math.Max(0, seconds - _lastSeconds[i]) / interval;
            _lastSeconds[i] = seconds;
            phase.Components[i].Add(cores, interval, at);
            parts.Add(string.Create(c, $"{_components[i].Name} {cores:0.00}"));
        }
        var machine = ProcessCpu.Machine();
        if (machine is { } now && _lastMachine is { } before && now.Total > before.Total)
        {
            var busy = (now.Busy - before.Busy) / (now.Total - before.Total);
            phase.AddMachine(busy, interval);
            parts.Add(string.Create(c, $"machine {busy:P0}"));
        }
        _lastMachine = machine;
        _lastAt = at;
        return "cpu(cores) " + string.Join(' ', parts);
    }
}

/// <summary>A component of the run and how to read the CPU seconds its processes used so far.</summary>
internal sealed record CpuComponent(string Name, Func<double> Seconds)
{
    /// <summary>A component made of the processes <paramref name="pids"/> returns at each sample (their CPU seconds summed).</summary>
    public static CpuComponent Of(string name, Func<IEnumerable<int>> pids) =>
        new(name, () => pids().Sum(pid => ProcessCpu.SecondsOf(pid) ?? 0));
}

/// <summary>CPU figures of one phase of a run.</summary>
internal sealed class CpuPhase(string name, IReadOnlyList<ComponentCpu> components)
{
    private double _machineBusy;
    private double _machineSeconds;

    public string Name { get; } = name;

    public IReadOnlyList<ComponentCpu> Components { get; } = components;

    /// <summary>The machine's mean busy share (all cores) over the phase, or NaN when unknown.</summary>
    public double MachineBusy => _machineSeconds > 0 ? _machineBusy / _machineSeconds : double.NaN;

    public void AddMachine(double busy, double interval)
    {
        _machineBusy += busy * interval;
        _machineSeconds += interval;
    }

    /// <summary>The component that first reached saturation, or null when none did.</summary>
    public ComponentCpu? FirstSaturated => Components.Where(c => c.FirstSaturatedAt is not null).MinBy(c => c.FirstSaturatedAt);
}

/// <summary>One component's CPU use within a phase.</summary>
internal sealed class ComponentCpu(string name)
{
    public string Name { get; } = name;

    /// <summary>CPU seconds used in the phase.</summary>
    public double CpuSeconds { get; private set; }

    public double WallSeconds { get; private set; }

    /// <summary>The highest use over one sample interval, in cores.</summary>
    public double PeakCores { get; private set; }

    /// <summary>Run clock at the end of the first interval with at least <see cref="CpuMonitor.SaturationCores"/> cores, or null.</summary>
    public TimeSpan? FirstSaturatedAt { get; private set; }

    public double MeanCores => WallSeconds > 0 ? CpuSeconds / WallSeconds : 0;

    public void Add(double cores, double interval, TimeSpan at)
    {
        CpuSeconds += cores * interval;
        WallSeconds += interval;
        PeakCores = Math.Max(PeakCores, cores);
        if (FirstSaturatedAt is null && cores >= CpuMonitor.SaturationCores)
        {
            FirstSaturatedAt = at;
        }
    }
}
