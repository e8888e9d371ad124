using System.Threading.Channels;
using Horizon.Agreements;
using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing;
using NATS.Client.Core;

namespace Horizon.Agbot.Tests.Support;

/// <summary>
/// A node agent written as a protocol peer: real keys registered in the exchange, its own NATS
/// connection and durable mailbox, sealed envelopes both ways. What it answers is scripted per
/// test through <see cref="Answer"/>; everything it receives is kept in <see cref="Received"/>.
/// </summary>
internal sealed class ScriptedNode : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _owned = [];
    private NatsConnection? _connection;
    private Task? _loop;

    private ScriptedNode(string org, string id, ExchangeClient exchange, TempDirectory state)
    {
        Address = PartyAddress.Node(org, id);
        Exchange = exchange;
        State = state;
        Keys = PartyKeys.LoadOrCreate(state.Combine("node", id, "keys"));
        _owned.Add(Keys);
    }

    public PartyAddress Address { get; }

    public ExchangeClient Exchange { get; }

    public TempDirectory State { get; }

    public PartyKeys Keys { get; }

    public Mailbox Mailbox { get; private set; } = null!;

    /// <summary>Decides the reply to each proposal; by default the node accepts.</summary>
    public Func<Proposal, int, ProposalReply?> Answer { get; set; } = (p, _) => new ProposalReply { AgreementId = p.AgreementId, Decision = true };

    /// <summary>Decides the reply to each update; by default the node applies it. Null holds the reply (send it with <see cref="SendAsync"/>).</summary>
    public Func<UpdateAgreement, UpdateAgreementReply?> UpdateAnswer { get; set; } = u => new UpdateAgreementReply { AgreementId = u.AgreementId, Accepted = true };

    /// <summary>Whether the node says it still holds an agreement when the agbot verifies.</summary>
    public Func<string, bool> Holds { get; set; } = _ => true;

    public Channel<AgreementMessage> Received { get; } = Channel.CreateUnbounded<AgreementMessage>();

    public List<AgreementMessage> All { get; } = [];

    private int _proposals;

    /// <summary>The messages of type <typeparamref name="T"/> received so far, in order.</summary>
    public IReadOnlyList<T> Messages<T>() where T : AgreementMessage
    {
        lock (All)
        {
            return All.OfType<T>().ToList();
        }
    }

    public static async Task<ScriptedNode> StartAsync(AgbotTestBed bed, string id, string arch = "amd64", string? pattern = null)
    {
        var node = new ScriptedNode(bed.Org, id, bed.Exchange.Client(bed.Org, id, "node-token"), bed.State);
        node._connection = bed.Nats.ServiceConnection(node.Address.ToString());
        await node._connection.ConnectAsync();
        var directory = new ExchangeKeyDirectory(node.Exchange);
        var folder = bed.State.Combine("node", id);
        var replay = new SqliteReplayWindow(Path.Combine(folder, "replay.db"), TimeProvider.System, EnvelopeOptions.Default.ClockSkew);
        var poison = new PoisonMessageLog(Path.Combine(folder, "poison.db"), TimeProvider.System);
        node._owned.Add(replay);
        node._owned.Add(poison);
        node.Mailbox = Mailbox.Create(node.Address, node._connection, node.Keys, directory, new MailboxStores(replay, poison),
            MailboxOptions.Default with { ReconnectJitter = TimeSpan.FromMilliseconds(200) });
        node._loop = Task.Run(() => node.ReceiveAsync(node._stop.Token));
        return node;
    }

    /// <summary>Registers the node in the exchange with its keys, as <c>hzn register</c> does.</summary>
    public Task RegisterAsync(AgbotTestBed bed, string? pattern = null, string arch = "amd64") =>
        bed.User.PutNodeAsync(Address.Org, Address.Id, new ExchangeNode
        {
            Token = "node-token",
            Name = Address.Id,
            Pattern = pattern ?? $"{bed.Org}/{AgbotTestBed.PatternName}",
            Arch = arch,
            PublicKey = Keys.IdentityPublicKey,
            EncryptionKey = Keys.EncryptionPublicKey,
        });

    public Task SendAsync(AgreementMessage message) =>
        Mailbox.SendAsync(PartyAddress.Agbot(AgbotTestBed.AgbotOrgOf(Address.Org), AgbotTestBed.AgbotId), AgreementCodec.Encode(message));

    /// <summary>The next message of type <typeparamref name="T"/>, skipping others.</summary>
    public async Task<T> NextAsync<T>(TimeSpan? timeout = null) where T : AgreementMessage
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                if (await Received.Reader.ReadAsync(cancel.Token) is T match)
                {
                    return match;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Address} got no {typeof(T).Name}; received so far: {string.Join(", ", All.Select(m => m.GetType().Name))}");
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in Mailbox.ReceiveAsync(HandleAsync, cancellationToken))
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HandleAsync(OpenedEnvelope envelope, CancellationToken cancellationToken)
    {
        var message = AgreementCodec.Decode(envelope.Payload.Span);
        lock (All)
        {
            All.Add(message);
        }
        await Received.Writer.WriteAsync(message, cancellationToken);
        switch (message)
        {
            case Proposal proposal when Answer(proposal, Interlocked.Increment(ref _proposals)) is { } reply:
                await SendAsync(reply);
                break;
            case UpdateAgreement update when UpdateAnswer(update) is { } updateReply:
                await SendAsync(updateReply);
                break;
            case VerifyAgreement verify:
                await SendAsync(new VerifyAgreementReply { AgreementId = verify.AgreementId, Exists = Holds(verify.AgreementId) });
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
        _stop.Dispose();
    }
}
