namespace Horizon.Switchboard.Messaging;

/// <summary>
/// Whether this party's NATS credentials let it write to a recipient's inbox. A party's JWT names
/// the orgs it may write to, as they were when it was issued; an agbot that starts serving another
/// org, or a node that an agbot of another org starts serving, renews its credentials first.
/// </summary>
public interface ISendPermissions
{
    /// <summary>True when the credentials (renewed if they did not) allow writing to <paramref name="recipient"/>.</summary>
    /// <exception cref="MessagingException">The credentials could not be renewed now.</exception>
    ValueTask<bool> MayWriteToAsync(Addressing.PartyAddress recipient, CancellationToken cancellationToken = default);
}
