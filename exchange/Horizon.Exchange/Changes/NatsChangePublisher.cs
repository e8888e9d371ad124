using Horizon.Hosting.Settings;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;
using NATS.Client.Core;

namespace Horizon.Exchange.Changes;

/// <summary>
/// Publishes each committed change on core NATS as <c>hzn.changes.&lt;org&gt;.&lt;resource&gt;</c>
/// with the change entry as JSON. The connection is opened on first use and reconnects by itself;
/// a failed publish is the notifier's to log. The exchange logs in with a NATS credentials file
/// (0600) when one is configured — never a password.
/// </summary>
public sealed class NatsChangePublisher : IChangePublisher, IAsyncDisposable
{
    private readonly NatsConnection _connection;

    /// <exception cref="InvalidSettingsException"><paramref name="credentialsFile"/> is set but missing, or others may read it.</exception>
    public NatsChangePublisher(string url, string? credentialsFile = null)
    {
        var options = NatsOpts.Default with
        {
            Url = url,
            Name = "horizon-exchange",
            ReconnectWaitMin = TimeSpan.FromMilliseconds(500),
            ReconnectWaitMax = TimeSpan.FromSeconds(10),
            ReconnectJitter = TimeSpan.FromSeconds(1),
            IgnoreAuthErrorAbort = true,
        };
        if (!string.IsNullOrWhiteSpace(credentialsFile))
        {
            if (!File.Exists(credentialsFile))
            {
                throw new InvalidSettingsException($"Exchange:NatsCredentialsFile {credentialsFile} does not exist");
            }
            if (OperatingSystem.IsLinux() && (File.GetUnixFileMode(credentialsFile) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                throw new InvalidSettingsException($"Exchange:NatsCredentialsFile {credentialsFile} holds a NATS key but others may read it; chmod 600 it");
            }
            options = options with { AuthOpts = NatsAuthOpts.Default with { CredsFile = credentialsFile } };
        }
        _connection = new NatsConnection(options);
    }

    /// <summary>The subject a change is announced on; characters NATS gives meaning to are percent-encoded.</summary>
    public static string Subject(string org, string resource) => ChangeSubjects.For(org, resource);

    public async ValueTask PublishAsync(ChangeRecord change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new ChangeEntry
        {
            ChangeId = change.Id,
            OrgId = change.Org,
            Resource = change.Resource,
            Id = change.ResourceId,
            Operation = change.Operation,
            LastUpdated = change.ChangedAt,
        }, ExchangeJsonContext.Default.ChangeEntry);
        // The first publish connects; later ones queue while reconnecting and go out after.
        await _connection.PublishAsync(Subject(change.Org, change.Resource), payload, cancellationToken: cancellationToken);
    }

    /// <summary>For <c>/readyz</c>: connects if no change was published yet; true when the connection is open.</summary>
    public async Task<bool> ProbeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _connection.ConnectAsync().AsTask().WaitAsync(cancellationToken);
        }
        catch (NatsException)
        {
            return false;
        }
        return _connection.ConnectionState == NatsConnectionState.Open;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
