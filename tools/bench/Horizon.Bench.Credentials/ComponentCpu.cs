using Horizon.Testing.Processes;
using Horizon.Testing.Switchboard;

namespace Horizon.Bench.Credentials;

/// <summary>CPU seconds the switchboard process and nats-server had used at one moment, to subtract from a later reading.</summary>
internal sealed record ComponentCpu(double Switchboard, double Nats)
{
    public static ComponentCpu Read(SwitchboardProcess switchboard) => new(
        ProcessCpu.SecondsOf(switchboard.ProcessId ?? 0) ?? 0,
        ProcessCpu.SecondsOf(switchboard.Nats.ProcessId ?? 0) ?? 0);

    public ComponentCpu Since(SwitchboardProcess switchboard)
    {
        var now = Read(switchboard);
        return new ComponentCpu(now.Switchboard - Switchboard, now.Nats - Nats);
    }
}
