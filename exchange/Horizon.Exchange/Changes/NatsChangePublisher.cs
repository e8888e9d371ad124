using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;
using Horizon.Nats;

namespace Horizon.Exchange.Changes;

/// <summary>
/// Publishes each committed change on core NATS as <c>hzn.changes.&lt;org&gt;.&lt;resource&gt;</c>
/// with the change entry as JSON. The connection is opened on first use and the client reconnects
/// by itself; a failed publish is the notifier's to log. Credentials come from <paramref name="user"/>
/// and <paramref name="password"/>, or from the URL (<c>nats://user:password@host:port</c>), which wins.
/// </summary>
public sealed class NatsChangePublisher(string url, string? user = null, string? password = null) : IChangePublisher, IAsyncDisposable
{
    private readonly NatsConnection _connection = new(NatsOpts.Default with
    {
        Url = url,
        Name = "horizon-exchange",
        Username = string.IsNullOrEmpty(user) ? null : user,
        Password = string.IsNullOrEmpty(user) ? null : password,
    });
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private bool _connected;

    /// <summary>The subject a change is announced on; characters NATS gives meaning to are percent-encoded.</summary>
    public static string Subject(string org, string resource) => ChangeSubjects.For(org, resource);

    public async ValueTask PublishAsync(ChangeRecord change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await EnsureConnectedAsync(cancellationToken);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new ChangeEntry
        {
            ChangeId = change.Id,
            OrgId = change.Org,
            Resource = change.Resource,
            Id = change.ResourceId,
            Operation = change.Operation,
            LastUpdated = change.ChangedAt,
        }, ExchangeJsonContext.Default.ChangeEntry);
        await _connection.PublishAsync(Subject(change.Org, change.Resource), payload, cancellationToken: cancellationToken);
    }

    /// <summary>For <c>/readyz</c>: connects if no change was published yet; true when the connection is open.</summary>
    public async Task<bool> ProbeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await EnsureConnectedAsync(cancellationToken);
        }
        catch (NatsException)
        {
            return false;
        }
        return _connection.State == NatsConnectionState.Open;
    }

    private async ValueTask EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connected)
        {
            return;
        }
        await _connectGate.WaitAsync(cancellationToken);
        try
        {
            if (!_connected)
            {
                await _connection.ConnectAsync(cancellationToken);
                _connected = true;
            }
        }
        finally
        {
            _connectGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _connectGate.Dispose();
    }
}
