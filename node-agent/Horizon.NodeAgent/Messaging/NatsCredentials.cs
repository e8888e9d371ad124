using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Horizon.Exchange.Client;
using Horizon.NodeAgent.Hosting;

namespace Horizon.NodeAgent.Messaging;

/// <summary>What the switchboard issues a party: its NATS login and where its inbox is.</summary>
public sealed record NatsCredentials
{
    [JsonPropertyName("user")] public string User { get; init; } = "";

    [JsonPropertyName("password")] public string Password { get; init; } = "";

    [JsonPropertyName("inboxPrefix")] public string? InboxPrefix { get; init; }

    [JsonPropertyName("inboxSubject")] public string? InboxSubject { get; init; }

    [JsonPropertyName("stream")] public string? Stream { get; init; }

    [JsonPropertyName("consumer")] public string? Consumer { get; init; }

    /// <summary>
    /// The configured NATS login, or one the switchboard issues for the node's exchange
    /// credentials (<c>POST {SwitchboardUrl}/v1/credentials?kind=node</c>); null when neither is set.
    /// </summary>
    /// <exception cref="HttpRequestException">The switchboard cannot be reached or refused the node.</exception>
    public static async Task<NatsCredentials?> ObtainAsync(NodeAgentOptions options, ExchangeCredentials node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(node);
        if (!string.IsNullOrEmpty(options.NatsUser))
        {
            return new NatsCredentials { User = options.NatsUser, Password = options.NatsPassword };
        }
        if (string.IsNullOrEmpty(options.SwitchboardUrl))
        {
            return null;
        }
        using var http = new HttpClient { BaseAddress = new Uri(options.SwitchboardUrl.TrimEnd('/') + "/") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/credentials?kind=node");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{node.Org}/{node.Id}:{node.Token}")));
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(MessagingJsonContext.Default.NatsCredentials, cancellationToken)
            ?? throw new HttpRequestException("the switchboard answered with no credentials");
    }
}

[JsonSerializable(typeof(NatsCredentials))]
internal sealed partial class MessagingJsonContext : JsonSerializerContext;
