using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Keys;
using Horizon.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Horizon.Switchboard.Tests.Envelopes;

/// <summary>An agbot and a node with real keys, a key directory standing in for the exchange's records, and a clock.</summary>
internal sealed class EnvelopeParties : IDisposable
{
    private readonly TempDirectory _directory = new("hzn-envelope");
    private readonly Dictionary<PartyAddress, NSec.Cryptography.PublicKey> _registered = [];
    private SqliteReplayWindow _replayWindow;

    public EnvelopeParties()
    {
        Registered = new CachedSigningKeyDirectory((party, _) =>
            ValueTask.FromResult<NSec.Cryptography.PublicKey?>(_registered.TryGetValue(party, out var key) ? key : null));
        Register(Agbot, AgbotKeys);
        Register(Node, NodeKeys);
        _replayWindow = NewReplayWindow();
        Opener = NewOpener();
    }

    public ManualTimeProvider Clock { get; } = new();

    public PartyAddress Agbot { get; } = PartyAddress.Agbot("myorg", "agbot1");

    public PartyAddress Node { get; } = PartyAddress.Node("myorg", "node1");

    public PartyKeys AgbotKeys { get; } = PartyKeys.Generate();

    public PartyKeys NodeKeys { get; } = PartyKeys.Generate();

    public CachedSigningKeyDirectory Registered { get; }

    /// <summary>The node's opener.</summary>
    public EnvelopeOpener Opener { get; private set; }

    public EnvelopeSealer AgbotSealer(PartyKeys? keys = null) =>
        new(Agbot, keys ?? AgbotKeys, EnvelopeOptions.Default, Clock);

    public SealedEnvelope SealForNode(string payload, PartyKeys? signedWith = null) =>
        AgbotSealer(signedWith).Seal(Node, NodeKeys.Encryption.PublicKey, System.Text.Encoding.UTF8.GetBytes(payload));

    public void Register(PartyAddress party, PartyKeys keys) => _registered[party] = keys.Identity.PublicKey;

    public void Unregister(PartyAddress party) => _registered.Remove(party);

    /// <summary>Simulates the node restarting: a new opener over the same replay-window file.</summary>
    public void RestartNode()
    {
        _replayWindow.Dispose();
        _replayWindow = NewReplayWindow();
        Opener = NewOpener();
    }

    private SqliteReplayWindow NewReplayWindow() =>
        new(_directory.Combine("replay.db"), Clock, EnvelopeOptions.Default.ClockSkew);

    private EnvelopeOpener NewOpener() =>
        new(Node, NodeKeys, Registered, _replayWindow, EnvelopeOptions.Default, Clock, NullLogger<EnvelopeOpener>.Instance);

    public void Dispose()
    {
        _replayWindow.Dispose();
        AgbotKeys.Dispose();
        NodeKeys.Dispose();
        _directory.Dispose();
    }
}
