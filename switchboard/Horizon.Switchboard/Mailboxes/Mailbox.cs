using Horizon.Nats;
using Horizon.Nats.JetStream;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>
/// One party's durable mailbox: sends sealed envelopes into other parties' inboxes and receives
/// its own. Nothing is acknowledged before its handler succeeded, so no message is lost to a
/// crash or a failing handler; refused envelopes never reach the handler.
/// </summary>
public sealed partial class Mailbox(
    PartyAddress self,
    NatsJSContext jetStream,
    EnvelopeSealer sealer,
    EnvelopeOpener opener,
    IEncryptionKeyDirectory encryptionKeys,
    PoisonMessageLog poisonLog,
    MailboxOptions options,
    ILogger<Mailbox> logger) : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    /// <summary>
    /// Opens the mailbox of <paramref name="self"/> with its replay window and poison log in
    /// <paramref name="stateDirectory"/> (<c>replay.db</c>, <c>poison.db</c>); the mailbox owns and
    /// disposes them. <paramref name="keyDirectory"/> supplies both the senders' signing keys and the
    /// recipients' encryption keys (in production an <see cref="ExchangeKeyDirectory"/>).
    /// </summary>
    public static Mailbox Create<TDirectory>(PartyAddress self, NatsConnection connection, PartyKeys keys, TDirectory keyDirectory,
        string stateDirectory, MailboxOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        where TDirectory : ISigningKeyDirectory, IEncryptionKeyDirectory
    {
        var time = timeProvider ?? TimeProvider.System;
        Directory.CreateDirectory(stateDirectory);
        var replay = new SqliteReplayWindow(Path.Combine(stateDirectory, "replay.db"), time, EnvelopeOptions.Default.ClockSkew);
        var poison = new PoisonMessageLog(Path.Combine(stateDirectory, "poison.db"), time);
        var mailbox = Create(self, connection, keys, keyDirectory, new MailboxStores(replay, poison), options, time, loggerFactory);
        mailbox._owned.Add(replay);
        mailbox._owned.Add(poison);
        return mailbox;
    }

    /// <summary>
    /// Opens the mailbox of <paramref name="self"/> on a replay window and poison log the caller
    /// owns (see <see cref="MailboxStores"/>); disposing the mailbox leaves them open.
    /// </summary>
    public static Mailbox Create<TDirectory>(PartyAddress self, NatsConnection connection, PartyKeys keys, TDirectory keyDirectory,
        MailboxStores stores, MailboxOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        where TDirectory : ISigningKeyDirectory, IEncryptionKeyDirectory
    {
        ArgumentNullException.ThrowIfNull(stores);
        var time = timeProvider ?? TimeProvider.System;
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        return new Mailbox(
            self,
            new NatsJSContext(connection),
            new EnvelopeSealer(self, keys, EnvelopeOptions.Default, time),
            new EnvelopeOpener(self, keys, keyDirectory, stores.ReplayWindow, EnvelopeOptions.Default, time, loggers.CreateLogger<EnvelopeOpener>()),
            keyDirectory,
            stores.PoisonLog,
            options ?? MailboxOptions.Default,
            loggers.CreateLogger<Mailbox>());
    }

    public PartyAddress Self { get; } = self;

    /// <summary>Messages terminated after too many failed handler attempts.</summary>
    public PoisonMessageLog PoisonLog => poisonLog;

    /// <summary>Refusals by reason, for status and metrics.</summary>
    public RejectionCounts Refusals => opener.Rejections;

    /// <summary>
    /// Seals <paramref name="payload"/> for <paramref name="recipient"/> and stores it in the recipient's
    /// inbox. Returns the envelope id, which is also the de-duplication id: sending the same sealed
    /// envelope twice within the window stores it once.
    /// </summary>
    /// <exception cref="MailboxException">The recipient has no registered encryption key.</exception>
    /// <exception cref="NatsJSException">The mailbox stream is missing or did not acknowledge.</exception>
    public async Task<string> SendAsync(PartyAddress recipient, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var key = await encryptionKeys.GetEncryptionKeyAsync(recipient, cancellationToken)
            ?? throw new MailboxException($"{recipient} has no registered encryption key; it cannot be written to");
        var sealedEnvelope = sealer.Seal(recipient, key, payload.Span);
        await SendSealedAsync(recipient, sealedEnvelope, cancellationToken);
        return sealedEnvelope.Id;
    }

    /// <summary>Stores an already sealed envelope (e.g. a retry of one whose acknowledgement was lost).</summary>
    public async Task SendSealedAsync(PartyAddress recipient, SealedEnvelope sealedEnvelope, CancellationToken cancellationToken = default)
    {
        var ack = await jetStream.PublishAsync(recipient.InboxSubject, sealedEnvelope.Bytes, sealedEnvelope.Id, cancellationToken: cancellationToken);
        LogSent(logger, sealedEnvelope.Id, recipient, ack.Seq, ack.Duplicate);
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
    private static partial void LogSent(ILogger logger, string envelopeId, Addressing.PartyAddress recipient, ulong sequence, bool duplicate);
}

/// <summary>A mailbox operation that cannot be carried out as asked.</summary>
public sealed class MailboxException(string message) : Exception(message);
