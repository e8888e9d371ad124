namespace Horizon.Agbot.Hosting;

/// <summary>
/// How agbot instances sharing one PostgreSQL split the nodes (<c>Agbot:Leases</c>). Every instance
/// of a deployment must use the same <see cref="Partitions"/>. With SQLite there is one instance,
/// which holds every partition.
/// </summary>
public sealed record LeaseOptions
{
    /// <summary>Nodes are hashed into this many partitions; each is leased by one instance at a time.</summary>
    public int Partitions { get; set; } = 32;

    /// <summary>How long a lease lasts without renewal: a dead instance's nodes are taken over after this.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often leases are renewed, balanced and free ones taken; well below <see cref="Duration"/>.</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(10);
}
