using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Messaging;
using Horizon.Switchboard.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>
/// One party's durable mailbox: sends sealed envelopes into other parties' inboxes and receives
/// its own. A message is acted on once: its handler completes, and its id is persisted, before the
/// party's position moves past it, so neither a crash nor a failing handler loses it; refused
/// envelopes never reach the handler.
/// </summary>
public sealed partial class Mailbox : IDisposable
{
    private readonly INatsConnection _connection;
    private readonly NatsJSContext _jetStream;
    private readonly EnvelopeSealer _sealer;
    private readonly EnvelopeOpener _opener;
    private readonly IEncryptionKeyDirectory _encryptionKeys;
    private readonly IMailboxJournal _journal;
    private readonly MailboxOptions _options;
    private readonly ISendPermissions? _sendPermissions;
    private readonly TimeProvider _time;
    private readonly ILogger<Mailbox> _logger;
    private readonly List<IDisposable> _owned = [];
    private int _receiving;

    private Mailbox(PartyAddress self, INatsConnection connection, EnvelopeSealer sealer, EnvelopeOpener opener, IEncryptionKeyDirectory encryptionKeys,
        MailboxStores stores, MailboxOptions options, ISendPermissions? sendPermissions, TimeProvider time, ILogger<Mailbox> logger)
    {
        Self = self;
        _connection = connection;
        _jetStream = new NatsJSContext((NatsConnection)connection, new NatsJSOpts(((NatsConnection)connection).Opts, domain: options.JetStreamDomain));
        _sealer = sealer;
        _opener = opener;
        _encryptionKeys = encryptionKeys;
        _journal = stores.ReplayWindow;
        PoisonLog = stores.PoisonLog;
        _options = options;
        _sendPermissions = sendPermissions;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Opens the mailbox of <paramref name="self"/> with its replay window, cursor and poison log in
    /// <paramref name="stateDirectory"/> (<c>replay.db</c>, <c>poison.db</c>); the mailbox owns and
    /// disposes them. <paramref name="keyDirectory"/> supplies both the senders' identity keys and the
    /// recipients' encryption keys (in production an <see cref="ExchangeKeyDirectory"/>).
    /// </summary>
    public static Mailbox Create<TDirectory>(PartyAddress self, NatsConnection connection, PartyKeys keys, TDirectory keyDirectory,
        string stateDirectory, MailboxOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null,
        ISendPermissions? sendPermissions = null)
        where TDirectory : ISigningKeyDirectory, IEncryptionKeyDirectory
    {
        var time = timeProvider ?? TimeProvider.System;
        Directory.CreateDirectory(stateDirectory);
        var replay = new SqliteReplayWindow(Path.Combine(stateDirectory, "replay.db"), time, EnvelopeOptions.Default.ClockSkew);
        var poison = new PoisonMessageLog(Path.Combine(stateDirectory, "poison.db"), time);
        var mailbox = Create(self, connection, keys, keyDirectory, new MailboxStores(replay, poison), options, time, loggerFactory, sendPermissions);
        mailbox._owned.Add(replay);
        mailbox._owned.Add(poison);
        return mailbox;
    }

    /// <summary>Opens the mailbox of <paramref name="self"/> with stores the caller owns (and may share, see <see cref="MailboxStores"/>).</summary>
    public static Mailbox Create<TDirectory>(PartyAddress self, NatsConnection connection, PartyKeys keys, TDirectory keyDirectory,
        MailboxStores stores, MailboxOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null,
        ISendPermissions? sendPermissions = null)
        where TDirectory : ISigningKeyDirectory, IEncryptionKeyDirectory
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(stores);
        var time = timeProvider ?? TimeProvider.System;
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        return new Mailbox(
            self,
            connection,
            new EnvelopeSealer(self, keys, EnvelopeOptions.Default, time),
            new EnvelopeOpener(self, keys, keyDirectory, stores.ReplayWindow, EnvelopeOptions.Default, time, loggers.CreateLogger<EnvelopeOpener>()),
            keyDirectory,
            stores,
            options ?? MailboxOptions.Default,
            sendPermissions,
            time,
            loggers.CreateLogger<Mailbox>());
    }

    public PartyAddress Self { get; }

    /// <summary>Messages recorded after too many failed handler attempts.</summary>
    public PoisonMessageLog PoisonLog { get; }

    /// <summary>Refusals by reason, for status and metrics.</summary>
    public RejectionCounts Refusals => _opener.Rejections;

    /// <summary>
    /// Seals <paramref name="payload"/> for <paramref name="recipient"/> and stores it in the recipient's
    /// inbox. Returns the envelope id, which is also the de-duplication id: sending the same sealed
    /// envelope twice within the window stores it once.
    /// </summary>
    /// <exception cref="MailboxException">The recipient has no registered encryption key, or this party may not write to it.</exception>
    /// <exception cref="MessagingException">NATS is unreachable or JetStream did not store the message; nothing was stored.</exception>
    public async Task<string> SendAsync(PartyAddress recipient, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var key = await _encryptionKeys.GetEncryptionKeyAsync(recipient, cancellationToken)
            ?? throw new MailboxException($"{recipient} has no registered encryption key; it cannot be written to");
        var sealedEnvelope = _sealer.Seal(recipient, key, payload.Span);
        await SendSealedAsync(recipient, sealedEnvelope, cancellationToken);
        return sealedEnvelope.Id;
    }

    /// <summary>Stores an already sealed envelope (e.g. a retry of one whose acknowledgement was lost).</summary>
    /// <exception cref="MailboxException">This party may not write to <paramref name="recipient"/>.</exception>
    /// <exception cref="MessagingException">NATS is unreachable or JetStream did not store the message.</exception>
    public async Task SendSealedAsync(PartyAddress recipient, SealedEnvelope sealedEnvelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(sealedEnvelope);
        if (_sendPermissions is not null && !await _sendPermissions.MayWriteToAsync(recipient, cancellationToken))
        {
            throw new MailboxException($"{Self} may not write to {recipient}: no agbot of {recipient.Org} serves {Self.Org}'s nodes (or the reverse) as the switchboard last saw it");
        }
        PubAckResponse ack;
        try
        {
            ack = await _jetStream.PublishAsync(MailboxSubjects.Inbox(recipient), sealedEnvelope.Bytes,
                opts: new NatsJSPubOpts { MsgId = sealedEnvelope.Id }, cancellationToken: cancellationToken);
            // A duplicate is success: the stream holds the envelope once, as a retry intends.
            if (ack.Error is { } error)
            {
                throw new NatsJSApiException(error);
            }
        }
        catch (Exception e) when (MessagingException.IsNatsFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw MessagingException.From(e, $"storing envelope {sealedEnvelope.Id} for {recipient}");
        }
        LogSent(_logger, sealedEnvelope.Id, recipient, ack.Seq, ack.Duplicate);
        MailboxMetrics.RecordSent(recipient, ack.Duplicate);
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
        _owned.Clear();
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Debug, Message = "Sent envelope {EnvelopeId} to {Recipient} (stream seq {Sequence}, duplicate {Duplicate})")]
    private static partial void LogSent(ILogger logger, string envelopeId, PartyAddress recipient, ulong sequence, bool duplicate);
}

/// <summary>A mailbox operation that cannot be carried out as asked.</summary>
public sealed class MailboxException(string message) : Exception(message);
