namespace Horizon.FleetSim.Options;

/// <summary>How a simulated node behaves; everything but <see cref="Healthy"/> is an injected failure.</summary>
internal enum NodeBehaviour
{
    Healthy,
    Rejecting,
    CrashLooping,
    Offline,
}
