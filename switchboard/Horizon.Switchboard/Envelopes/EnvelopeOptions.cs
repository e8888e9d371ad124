namespace Horizon.Switchboard.Envelopes;

/// <summary>Lifetimes and tolerances of sealed envelopes.</summary>
public sealed record EnvelopeOptions
{
    public static EnvelopeOptions Default { get; } = new();

    /// <summary>How long a sealed envelope stays valid. Default 30 min, the mailbox message TTL.</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How far the sender's clock may differ from the receiver's. Default 2 min.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(2);
}
