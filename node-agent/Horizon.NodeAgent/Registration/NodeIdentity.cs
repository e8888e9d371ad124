using Horizon.NodeAgent.Hosting;
using Horizon.Switchboard.Keys;

namespace Horizon.NodeAgent.Registration;

/// <summary>The node's signing and encryption keys, loaded or created (0600) under <c>&lt;state&gt;/keys</c> on first use.</summary>
public sealed class NodeIdentity(NodeAgentOptions options) : IDisposable
{
    private readonly Lazy<PartyKeys> _keys = new(() => PartyKeys.LoadOrCreate(Path.Combine(options.StateDirectory, "keys")));

    /// <exception cref="System.Security.Cryptography.CryptographicException">A key file exists but is not a P-256 key.</exception>
    public PartyKeys Keys => _keys.Value;

    public void Dispose()
    {
        if (_keys.IsValueCreated)
        {
            _keys.Value.Dispose();
        }
    }
}
