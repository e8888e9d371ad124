using System.CommandLine;
using System.Text.Json;
using Horizon.Cli.Publishing;
using Horizon.Exchange.Client;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn exchange service list|publish|remove|addpolicy|listpolicy|removepolicy</c>, with Open Horizon's flags.</summary>
internal static class ServiceCommands
{
    public static Command Create(CommandKit kit) => CommandKit.Group("service|serv", "Services",
        List(kit), Publish(kit), Remove(kit), AddPolicy(kit), ListPolicy(kit), RemovePolicy(kit));

    private static Command List(CommandKit kit)
    {
        var listId = Optional("service", "One service (id, org/id), or org/ for another org's public services");
        var longForm = new Option<bool>("--long", "-l") { Description = "Show every service in full (JSON)" };
        return kit.Command("list|ls", "List the org's services, or show one", async (invocation, cancellationToken) =>
        {
            var exchange = invocation.Exchange();
            var org = invocation.Org;
            if (invocation.GetValue(listId) is { } given)
            {
                if (OrgQualifiedId.OrgOnly(given) is { } otherOrg)
                {
                    org = otherOrg;
                }
                else
                {
                    var (serviceOrg, id) = invocation.Id(given, "service");
                    var one = await exchange.GetDefinitionJsonAsync(ExchangeDefinitionKind.Service, serviceOrg, id, cancellationToken);
                    if (invocation.Json || !ListOutput.AsTable(invocation))
                    {
                        ListOutput.Resources(invocation.Out, [($"{serviceOrg}/{id}", one)]);
                    }
                    else
                    {
                        Output.Json(invocation.Out, one);
                    }
                    return;
                }
            }
            var json = await exchange.ListDefinitionsJsonAsync(ExchangeDefinitionKind.Service, org, cancellationToken);
            using var document = JsonDocument.Parse(json);
            var elements = document.RootElement.EnumerateArray().ToList();
            string Id(ServiceDefinition s) => $"{(string.IsNullOrEmpty(s.Org) ? org : s.Org)}/{ServicePublisher.ServiceId(s)}";
            IReadOnlyList<string?> Row(ServiceDefinition s) => [Id(s), s.Url, s.Version, s.Arch, s.Sharable.ToString().ToLowerInvariant(), s.Public ? "yes" : "no", s.Owner];
            ShowDefinitions(invocation, elements, e => Id(ModelJson.ParseServiceDefinition(e.GetRawText())), invocation.GetValue(longForm),
                ["SERVICE", "URL", "VERSION", "ARCH", "SHARABLE", "PUBLIC", "OWNER"], e => Row(ModelJson.ParseServiceDefinition(e.GetRawText())));
        }, listId, longForm);
    }

    private static Command Publish(CommandKit kit)
    {
        var file = new Option<string>("--json-file", "-f") { Description = "The service.definition.json to publish", Required = true };
        var privateKey = new Option<string?>("--private-key-file", "-k") { Description = "PEM signing key: P-256, or an Open Horizon RSA key (default: HZN_PRIVATE_KEY_FILE, else ~/.hzn/keys/service.private.key)" };
        var publicKey = new Option<string?>("--public-key-file", "-K")
        {
            Description = "Its SPKI PEM public key or certificate (default: HZN_PUBLIC_KEY_FILE, else ~/.hzn/keys/service.public.pem, else derived from the private key)",
        };
        var registry = new Option<string[]>("--registry-token", "-r")
        {
            Description = "Registry login registry:user:token used to pull tags and read their digests (repeatable); '-' reads such lines from standard input. "
                + $"Logins in {RegistryLoginsVariable} (one per line) are used too, and keep the token off the command line",
            AllowMultipleArgumentsPerToken = false,
        };
        var isPublic = new Option<string?>("--public") { Description = "true or false: whether users of other orgs may see and deploy the service (default: the file's \"public\", else false)" };
        var policy = new Option<string?>("--service-policy-file", "-p") { Description = "A service.policy.json to set on the service once it is published" };
        var overwrite = new Option<bool>("--overwrite", "-O") { Description = "Replace an existing version (hzn always does; kept for Open Horizon's scripts)" };
        var pull = new Option<bool>("--pull-image", "-P") { Description = "Pull each image from its registry (hzn always does, to pin the registry's digest)" };
        var keepTags = new Option<bool>("--dont-change-image-tag", "-I") { Description = "Not supported: Horizon nodes run only digest-pinned images" };
        return kit.Command("publish|pub", "Pin images to digests, sign the deployment and publish the service", async (invocation, cancellationToken) =>
        {
            if (invocation.GetValue(keepTags))
            {
                throw new CliException(ExitCodes.Usage, "-I (--dont-change-image-tag) cannot carry over: Horizon nodes run only images pinned by digest, which publish resolves from the registry");
            }
            var keys = KeyCommands.DefaultKeyDirectory(invocation.Environment);
            var publicPath = invocation.GetValue(publicKey) ?? invocation.Environment.Get("HZN_PUBLIC_KEY_FILE") ?? Path.Combine(keys, KeyCommands.PublicKeyFile);
            var published = await ServicePublisher.PublishAsync(invocation, new PublishRequest
            {
                Path = invocation.GetValue(file),
                PrivateKeyPath = invocation.GetValue(privateKey) ?? invocation.Environment.Get("HZN_PRIVATE_KEY_FILE") ?? Path.Combine(keys, KeyCommands.PrivateKeyFile),
                PublicKeyPath = invocation.GetValue(publicKey) is null && !File.Exists(publicPath) ? null : publicPath,
                Logins = RegistryLogins(invocation, invocation.GetValue(registry) ?? []),
                Public = ParseBool(invocation.GetValue(isPublic), "--public"),
                ServicePolicyPath = invocation.GetValue(policy),
            }, cancellationToken);
            if (invocation.Json)
            {
                var images = string.Join(",", published.Images.Select(i => JsonSerializer.Serialize(i, Json.CliJsonContext.Default.String)));
                Output.Json(invocation.Out, $$"""{"org":"{{published.Org}}","id":"{{published.Id}}","keyId":"{{published.KeyId}}","public":{{(published.Public ? "true" : "false")}},"images":[{{images}}]}""");
                return;
            }
            invocation.Out.WriteLine($"service {published.Org}/{published.Id} published{(published.Public ? " (public)" : "")}, deployment signed with key {published.KeyId}");
            foreach (var image in published.Images)
            {
                invocation.Out.WriteLine($"  image {image}");
            }
            if (published.PolicySet)
            {
                invocation.Out.WriteLine($"  service policy set from {invocation.GetValue(policy)}");
            }
        }, file, privateKey, publicKey, registry, isPublic, policy, overwrite, pull, keepTags);
    }

    private static Command Remove(CommandKit kit)
    {
        var removeId = Required("service", "The service id to remove (url_version_arch, or org/id)");
        var force = new Option<bool>("--force", "-f") { Description = "Skip the 'are you sure?' prompt (hzn never prompts)" };
        return kit.Command("remove|rm", "Remove a service (and its service policy)", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(removeId), "service");
            await invocation.Exchange().DeleteDefinitionAsync(ExchangeDefinitionKind.Service, org, id, cancellationToken);
            invocation.Out.WriteLine($"service {org}/{id} removed");
        }, removeId, force);
    }

    private static Command AddPolicy(CommandKit kit)
    {
        var service = Required("service", "The service id (url_version_arch, or org/id)");
        var file = new Option<string>("--json-file", "-f") { Description = "A service.policy.json (properties and constraints)", Required = true };
        var idToken = IdTokenOption();
        return kit.Command("addpolicy|addp", "Add or replace a service's policy", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(service), "service");
            var policy = ServicePublisher.ReadServicePolicy(invocation, invocation.GetValue(file));
            await ExchangeFor(invocation, idToken).PutServicePolicyAsync(org, id, policy, cancellationToken);
            invocation.Out.WriteLine($"policy of service {org}/{id} set from {invocation.GetValue(file)}");
        }, service, file, idToken);
    }

    private static Command ListPolicy(CommandKit kit)
    {
        var service = Required("service", "The service id (url_version_arch, or org/id)");
        var idToken = IdTokenOption();
        return kit.Command("listpolicy|lsp", "Show a service's policy", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(service), "service");
            ServicePolicy policy;
            try
            {
                policy = await ExchangeFor(invocation, idToken).GetServicePolicyAsync(org, id, cancellationToken);
            }
            catch (ExchangeNotFoundException e) when (e.Message.Contains("has no service policy", StringComparison.Ordinal))
            {
                // Open Horizon shows an empty policy for a service without one.
                policy = new ServicePolicy();
            }
            Output.Json(invocation.Out, ModelJson.Serialize(policy));
        }, service, idToken);
    }

    private static Command RemovePolicy(CommandKit kit)
    {
        var service = Required("service", "The service id (url_version_arch, or org/id)");
        var force = new Option<bool>("--force", "-f") { Description = "Skip the 'are you sure?' prompt (hzn never prompts)" };
        var idToken = IdTokenOption();
        return kit.Command("removepolicy|rmp", "Remove a service's policy", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(service), "service");
            await ExchangeFor(invocation, idToken).DeleteServicePolicyAsync(org, id, cancellationToken);
            invocation.Out.WriteLine($"policy of service {org}/{id} removed");
        }, service, force, idToken);
    }

    // Open Horizon's service-policy commands take the user's credentials as -n id:password as well as -u.
    private static Option<string?> IdTokenOption() => new("--service-id-tok", "-n") { Description = "Exchange credentials [org/]user:password (as -u)" };

    private static ExchangeClient ExchangeFor(Invocation invocation, Option<string?> idToken) =>
        invocation.GetValue(idToken) is { } credentials ? invocation.Exchange(credentials) : invocation.Exchange();

    /// <exception cref="CliException">Neither true nor false.</exception>
    public static bool? ParseBool(string? text, string option) => text?.ToLowerInvariant() switch
    {
        null => null,
        "true" => true,
        "false" => false,
        _ => throw new CliException(ExitCodes.Usage, $"{option} takes true or false, not \"{text}\""),
    };

    /// <summary>Where <c>service publish</c> also takes registry logins (registry:user:token, one per line).</summary>
    public const string RegistryLoginsVariable = "HZN_REGISTRY_TOKEN";

    /// <summary>
    /// The logins of <c>-r</c> ('-' reads lines from standard input) and of <see cref="RegistryLoginsVariable"/>.
    /// A token written on the command line still works, with a warning: every local user can read it there.
    /// </summary>
    private static List<RegistryAuth> RegistryLogins(Invocation invocation, IReadOnlyList<string> given)
    {
        var lines = new List<string>();
        foreach (var value in given)
        {
            if (value == SecretInput.Stdin)
            {
                while (invocation.Environment.In.ReadLine() is { } line)
                {
                    lines.Add(line);
                }
            }
            else
            {
                invocation.Environment.Error.WriteLine($"hzn: warning: the registry token on the command line can be read by every local user; set {RegistryLoginsVariable} or give -r - and pipe it on standard input");
                lines.Add(value);
            }
        }
        lines.AddRange((invocation.Environment.Get(RegistryLoginsVariable) ?? "").Split('\n'));
        return lines.Select(l => l.Trim()).Where(l => l.Length > 0).Select(RegistryAuth.Parse).ToList();
    }
}
