using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Keys;

namespace Horizon.Switchboard.Messaging;

/// <summary>
/// Asks the switchboard for NATS credentials: a fresh challenge, signed with the party's identity
/// key, exchanged for a user JWT. No token or password travels; the proof is the key registered on
/// the party's exchange record, and for an enrolled node also its device certificate.
/// </summary>
/// <param name="http">The switchboard's HTTP client, its base address set.</param>
/// <param name="deviceCertificate">An enrolled node's current device certificate with its key, sent (and its key's
/// proof) beside the key proof of every request; null for parties without one.</param>
public sealed class SwitchboardClient(HttpClient http, Func<X509Certificate2?>? deviceCertificate = null) : IDisposable
{
    /// <summary>A client of the switchboard at <paramref name="baseUrl"/> (e.g. http://127.0.0.1:8047).</summary>
    public SwitchboardClient(string baseUrl, Func<X509Certificate2?>? deviceCertificate = null)
        : this(new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) }, deviceCertificate)
    {
    }

    /// <summary>Obtains credentials for <paramref name="self"/>, proving it holds <paramref name="keys"/>.</summary>
    /// <exception cref="CredentialsRefusedException">The switchboard does not accept the proof (unknown party, other key, other kind).</exception>
    /// <exception cref="MessagingException">The switchboard cannot be reached or failed.</exception>
    public async Task<IssuedCredentials> ObtainAsync(PartyAddress self, PartyKeys keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(keys);
        var challenge = await PostAsync("v1/challenges", new ChallengeRequest { Kind = self.KindName, Org = self.Org, Id = self.Id },
            CredentialJsonContext.Default.ChallengeRequest, CredentialJsonContext.Default.ChallengeResponse, self, cancellationToken);
        var text = CredentialProof.SignedText(self.KindName, self.Org, self.Id, keys.IdentityPublicKey, challenge.Challenge);
        var request = new CredentialRequest
        {
            Kind = self.KindName,
            Org = self.Org,
            Id = self.Id,
            PublicKey = keys.IdentityPublicKey,
            Challenge = challenge.Challenge,
            Signature = NatsJwt.Base64Url(keys.Sign(text)),
        };
        if (deviceCertificate?.Invoke() is { } certificate)
        {
            using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the device certificate comes without its key");
            request = request with
            {
                Certificate = certificate.ExportCertificatePem(),
                CertificateSignature = NatsJwt.Base64Url(key.SignData(text, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            };
        }
        return await PostAsync("v1/credentials", request, CredentialJsonContext.Default.CredentialRequest, CredentialJsonContext.Default.IssuedCredentials, self, cancellationToken);
    }

    private async Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> requestType,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResponse> responseType, PartyAddress self, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(path, body, requestType, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new MessagingException($"the switchboard at {http.BaseAddress} cannot be reached: {e.Message}", e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest)
            {
                var detail = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new CredentialsRefusedException($"the switchboard refused NATS credentials to {self} ({(int)response.StatusCode}): {detail}");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new MessagingException($"the switchboard failed to issue NATS credentials to {self}: {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            return await response.Content.ReadFromJsonAsync(responseType, cancellationToken)
                ?? throw new MessagingException("the switchboard answered with an empty body");
        }
    }

    public void Dispose() => http.Dispose();
}

/// <summary>The switchboard will not issue credentials for this proof: the party is unknown, registered another key, or is of another kind.</summary>
public sealed class CredentialsRefusedException(string message) : MessagingException(message);
