using Horizon.NodeAgent.Hosting;
using Horizon.Switchboard.Keys;

namespace Horizon.NodeAgent.Registration;

/// <summary>The node's Ed25519 identity key (also its NATS key) and X25519 encryption key, loaded or created (0600) under <c>&lt;state&gt;/keys</c> on first use.</summary>
public sealed class NodeIdentity(NodeAgentOptions options) : IDisposable
{
    private readonly Lazy<PartyKeys> _keys = new(() => PartyKeys.LoadOrCreate(Path.Combine(options.StateDirectory, "keys")));

    /// <exception cref="FormatException">A key file exists but holds no NATS seed of the right kind.</exception>
    public PartyKeys Keys => _keys.Value;

    public void Dispose()
    {
        if (_keys.IsValueCreated)
        {
            _keys.Value.Dispose();
        }
    }
}
