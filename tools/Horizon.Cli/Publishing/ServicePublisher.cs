using Horizon.Cli.Commands;
using Horizon.Docker;
using Horizon.Exchange.Client;
using Horizon.Patterns.Deployment;
using Horizon.Patterns.Files;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using Horizon.Patterns.Signing;
using Horizon.Patterns.Validation;

namespace Horizon.Cli.Publishing;

/// <summary>What <c>hzn exchange service publish</c> did.</summary>
internal sealed record PublishedService(string Org, string Id, string KeyId, IReadOnlyList<string> Images, bool Public, bool PolicySet);

/// <summary>How <c>hzn exchange service publish</c> was asked to publish, beyond the file.</summary>
internal sealed record PublishRequest
{
    public required string Path { get; init; }

    public required string PrivateKeyPath { get; init; }

    /// <summary>Null: derive it from the private key (Open Horizon's default since -K was deprecated).</summary>
    public string? PublicKeyPath { get; init; }

    public IReadOnlyList<RegistryAuth> Logins { get; init; } = [];

    /// <summary><c>--public true|false</c>; null keeps the file's <c>public</c>.</summary>
    public bool? Public { get; init; }

    /// <summary><c>-p service.policy.json</c>, set on the service after it is published.</summary>
    public string? ServicePolicyPath { get; init; }
}

/// <summary>
/// <c>hzn exchange service publish</c>: reads <c>service.definition.json</c>, pins every image tag to its
/// registry digest, serializes the deployment, signs that exact string and publishes the service with
/// the public key that verifies it.
/// </summary>
internal static class ServicePublisher
{
    public static async Task<PublishedService> PublishAsync(Invocation invocation, PublishRequest request, CancellationToken cancellationToken)
    {
        var path = request.Path;
        var logins = request.Logins;
        var file = ProjectFiles.Read(invocation, path, OpenHorizonFiles.ReadServiceDefinition);
        // Read before anything is pinned or published, so a bad policy file publishes nothing.
        var servicePolicy = request.ServicePolicyPath is { } policyPath ? ReadServicePolicy(invocation, policyPath) : null;
        var privateKey = ReadKey(invocation, request.PrivateKeyPath, "private");
        var publicKeyPath = request.PublicKeyPath ?? request.PrivateKeyPath;
        var publicKey = request.PublicKeyPath is null ? PublicKeyOf(request.PrivateKeyPath, privateKey) : ReadKey(invocation, request.PublicKeyPath, "public");
        var keyId = CheckKeysMatch(request.PrivateKeyPath, privateKey, publicKeyPath, publicKey);
        var definition = file.Definition;
        var images = new List<string>();
        if (file.DeploymentToSign is { } draft)
        {
            var problems = DeploymentParser.Validate(draft, new DeploymentParseOptions { AllowUnpinnedImages = true });
            if (problems.Count > 0)
            {
                throw ProjectFiles.Invalid(path, new ModelFormatException(problems.Select(p => p with { Path = "deployment." + p.Path }).ToList()));
            }
            var pinned = await PinAsync(invocation, draft, logins, cancellationToken);
            images.AddRange(pinned.Services.Values.Select(s => s.Image));
            var deployment = DeploymentParser.Serialize(pinned);
            definition = definition with
            {
                Deployment = deployment,
                DeploymentSignature = DeploymentSigner.Sign(deployment, privateKey),
                PublicKey = publicKey,
            };
        }
        else if (definition.Deployment.Length > 0)
        {
            // Already signed by the publisher: kept byte for byte; only the key is added when missing.
            definition = definition with { PublicKey = definition.PublicKey ?? publicKey };
        }
        var org = string.IsNullOrEmpty(definition.Org) ? invocation.Org : definition.Org;
        definition = definition with { Org = org, Public = request.Public ?? definition.Public };
        var errors = definition.Validate();
        if (errors.Count > 0)
        {
            throw ProjectFiles.Invalid(path, new ModelFormatException(errors));
        }
        invocation.InputName = path;
        var exchange = invocation.Exchange();
        await exchange.PublishServiceJsonAsync(org, ModelJson.Serialize(definition), cancellationToken);
        var id = ServiceId(definition);
        if (servicePolicy is not null)
        {
            invocation.InputName = request.ServicePolicyPath;
            await exchange.PutServicePolicyAsync(org, id, servicePolicy, cancellationToken);
        }
        return new PublishedService(org, id, keyId, images, definition.Public, servicePolicy is not null);
    }

    /// <summary>A service.policy.json, validated; constraints Open Horizon evaluates oddly are warned about.</summary>
    /// <exception cref="CliException">The file is missing or invalid.</exception>
    public static ServicePolicy ReadServicePolicy(Invocation invocation, string path)
    {
        var policy = ProjectFiles.Read(invocation, path, OpenHorizonFiles.ReadServicePolicy);
        ProjectFiles.EnsureValid(invocation, path, policy.Validate(), policy.Constraints);
        return policy;
    }

    private static string PublicKeyOf(string privatePath, string privateKey)
    {
        try
        {
            using var key = SigningKeys.LoadSigningPrivateKey(privateKey);
            return key.ExportSubjectPublicKeyInfoPem();
        }
        catch (SigningKeyException e)
        {
            throw new CliException(ExitCodes.Usage, $"the key {privatePath} cannot be used for signing: {e.Message}", e);
        }
    }

    /// <summary>Open Horizon's service id: url without scheme, '/' and ':' as '-', then _version_arch.</summary>
    public static string ServiceId(ServiceDefinition service) => ExchangeIds.ServiceId(service.Url, service.Version, service.Arch);

    private static async Task<DeploymentDescription> PinAsync(Invocation invocation, DeploymentDescription draft, IReadOnlyList<RegistryAuth> logins,
        CancellationToken cancellationToken)
    {
        if (draft.Services.Values.All(s => ImageReference.TryParse(s.Image, out var r, out _) && r.IsPinned))
        {
            return draft;
        }
        var endpoint = invocation.Environment.Get("DOCKER_HOST") is { } host ? DockerEndpoint.Parse(host) : DockerClients.DefaultEndpoint;
        using var docker = DockerClients.Create(endpoint, TimeSpan.FromMinutes(5));
        invocation.TalkingTo($"the Docker engine at {endpoint}", "hzn pulls image tags to learn their digests; start dockerd (tools/setup.sh) or set DOCKER_HOST.");
        var resolver = new ImageDigestResolver(docker, logins);
        var services = new Dictionary<string, DeploymentService>(StringComparer.Ordinal);
        foreach (var (name, service) in draft.Services)
        {
            services[name] = service with { Image = await resolver.PinAsync(service.Image, cancellationToken) };
        }
        return draft with { Services = services };
    }

    private static string ReadKey(Invocation invocation, string path, string which)
    {
        invocation.InputName = path;
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new CliException(ExitCodes.Usage,
                $"no {which} key at {path}: create a key pair with 'hzn key create', or pass -{(which == "private" ? "k" : "K")} with the file");
    }

    private static string CheckKeysMatch(string privatePath, string privateKey, string publicPath, string publicKey)
    {
        const string probe = "horizon key pair check";
        try
        {
            if (!DeploymentSigner.Verify(probe, DeploymentSigner.Sign(probe, privateKey), publicKey))
            {
                throw new CliException(ExitCodes.Usage, $"the public key {publicPath} does not belong to the private key {privatePath}; nodes could not verify the signature");
            }
            return SigningKeys.KeyId(publicKey);
        }
        catch (SigningKeyException e)
        {
            throw new CliException(ExitCodes.Usage, $"the keys {privatePath} / {publicPath} cannot be used for signing: {e.Message}", e);
        }
    }
}
