using System.Runtime.CompilerServices;
using System.Text.Json;
using Horizon.Exchange.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;

namespace Horizon.Switchboard.Messaging;

/// <summary>Change notifications read from core NATS; notifications that are not change entries are logged and skipped.</summary>
public sealed partial class NatsChangeListener : IChangeListener
{
    private readonly INatsConnection _connection;
    private readonly ILogger _logger;

    public NatsChangeListener(INatsConnection connection, ILogger<NatsChangeListener>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _logger = logger ?? NullLogger<NatsChangeListener>.Instance;
        connection.ConnectionOpened += OnOpenedAsync;
    }

    public event Action? Resumed;

    // Also raised on the first open: one extra read of the feed costs nothing and needs no state.
    private ValueTask OnOpenedAsync(object? sender, NatsEventArgs args)
    {
        Resumed?.Invoke();
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<ChangeEntry> ListenAsync(string? org, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var subject = org is null ? "hzn.changes.>" : ChangeSubjects.AllOf(org);
        INatsSub<byte[]> subscription;
        try
        {
            subscription = await _connection.SubscribeCoreAsync<byte[]>(subject, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (MessagingException.IsNatsFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw MessagingException.From(e, $"listening on {subject}");
        }
        await using (subscription)
        {
            while (true)
            {
                NatsMsg<byte[]> message;
                try
                {
                    if (!await subscription.Msgs.WaitToReadAsync(cancellationToken))
                    {
                        yield break;
                    }
                    if (!subscription.Msgs.TryRead(out message))
                    {
                        continue;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
                ChangeEntry? change = null;
                try
                {
                    change = JsonSerializer.Deserialize(message.Data ?? [], ExchangeJsonContext.Default.ChangeEntry);
                }
                catch (JsonException e)
                {
                    LogBadNotification(_logger, message.Subject, e.Message);
                }
                if (change is not null)
                {
                    yield return change;
                }
            }
        }
    }

    [LoggerMessage(EventId = 6601, Level = LogLevel.Warning, Message = "Change notification on {Subject} is not a change entry: {Error}")]
    private static partial void LogBadNotification(ILogger logger, string subject, string error);
}
