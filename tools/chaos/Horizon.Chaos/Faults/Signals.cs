namespace Horizon.Chaos.Faults;

/// <summary>The POSIX signal numbers the harness sends (Linux).</summary>
public static class Signals
{
    public const int Kill = 9;
    public const int Terminate = 15;
    public const int Continue = 18;
    public const int Stop = 19;
}
