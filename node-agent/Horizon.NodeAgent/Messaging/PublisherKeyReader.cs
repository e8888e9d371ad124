using Horizon.Agreements;
using Horizon.Exchange.Client;

namespace Horizon.NodeAgent.Messaging;

/// <summary>
/// Reads the publisher signing keys of a workload's services through the typed exchange client:
/// each service by its Open Horizon id (<c>url_version_arch</c>), so a service that is not
/// published and one this node may not read are told apart (404 against 403).
/// </summary>
public sealed class PublisherKeyReader : IDisposable
{
    private readonly ExchangeClient _exchange;

    /// <summary>A reader with an HTTP client of its own.</summary>
    public PublisherKeyReader(Uri exchangeUrl, ExchangeCredentials credentials)
    {
        _exchange = new ExchangeClient(exchangeUrl, credentials);
    }

    /// <summary>A reader on a client the caller owns (the agent's <see cref="Hosting.ExchangeConnectionPool"/>).</summary>
    public PublisherKeyReader(HttpClient sharedHttp, Uri exchangeUrl, ExchangeCredentials credentials)
    {
        _exchange = new ExchangeClient(sharedHttp, exchangeUrl, credentials);
    }

    /// <summary>The keys of each service of <paramref name="services"/>, by <see cref="WorkloadService.Key"/>; a service the exchange does not publish, or that this node may not read, has none.</summary>
    /// <exception cref="ExchangeException">The exchange failed (other than 403/404); the caller retries rather than declines.</exception>
    /// <exception cref="HttpRequestException">The exchange cannot be reached.</exception>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ReadAsync(IEnumerable<WorkloadService> services, CancellationToken cancellationToken) =>
        (await ReadWithRefusalsAsync(services, cancellationToken)).Keys;

    /// <summary>
    /// As <see cref="ReadAsync"/>, and also the services the exchange refused to show this node,
    /// with the exchange's reason (who may not read what), so a decline can say so.
    /// </summary>
    /// <exception cref="ExchangeException">The exchange failed (other than 403/404); the caller retries rather than declines.</exception>
    /// <exception cref="HttpRequestException">The exchange cannot be reached.</exception>
    public async Task<PublisherKeys> ReadWithRefusalsAsync(IEnumerable<WorkloadService> services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var refusals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in services.DistinctBy(s => s.Key, StringComparer.Ordinal))
        {
            var id = ExchangeIds.ServiceId(service.Url, service.Version, service.Arch);
            if ((ExchangeIds.Check("service org", service.Org) ?? ExchangeIds.Check("service id", id)) is { } invalid)
            {
                // No exchange can hold such a service: the proposal names something unpublishable.
                keys[service.Key] = [];
                refusals[service.Key] = invalid;
                continue;
            }
            try
            {
                var published = await _exchange.GetServiceAsync(service.Org, id, cancellationToken);
                keys[service.Key] = published.PublicKey is { Length: > 0 } key ? [key] : [];
            }
            catch (ExchangeNotFoundException)
            {
                keys[service.Key] = [];
            }
            catch (ExchangeForbiddenException refused)
            {
                keys[service.Key] = [];
                refusals[service.Key] = refused.Message;
            }
        }
        return new PublisherKeys(keys, refusals);
    }

    public void Dispose() => _exchange.Dispose();
}

/// <summary>Publisher keys by <see cref="WorkloadService.Key"/>, and the services the exchange refused to show, with its reason.</summary>
public sealed record PublisherKeys(IReadOnlyDictionary<string, IReadOnlyList<string>> Keys, IReadOnlyDictionary<string, string> Refusals);
