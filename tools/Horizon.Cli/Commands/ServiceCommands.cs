using System.CommandLine;
using System.Text.Json;
using Horizon.Cli.Publishing;
using Horizon.Exchange.Client;
using Horizon.Patterns.Json;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn exchange service list|publish|remove</c>.</summary>
internal static class ServiceCommands
{
    public static Command Create(CommandKit kit)
    {
        var listId = Optional("service", "One service id to show (url-as-id_version_arch)");
        var list = kit.Command("list", "List the org's services, or show one", async (invocation, cancellationToken) =>
        {
            var definitions = invocation.Exchange();
            if (invocation.GetValue(listId) is { } one)
            {
                Output.Json(invocation.Out, await definitions.GetDefinitionJsonAsync(ExchangeDefinitionKind.Service, invocation.Org, one, cancellationToken));
                return;
            }
            var json = await definitions.ListDefinitionsJsonAsync(ExchangeDefinitionKind.Service, invocation.Org, cancellationToken);
            if (invocation.Json)
            {
                Output.Json(invocation.Out, json);
                return;
            }
            using var document = JsonDocument.Parse(json);
            var services = document.RootElement.EnumerateArray().Select(e => ModelJson.ParseServiceDefinition(e.GetRawText())).ToList();
            Output.Table(invocation.Out, ["SERVICE", "URL", "VERSION", "ARCH", "SHARABLE", "PUBLIC", "OWNER"],
                services.Select(s => (IReadOnlyList<string?>)[$"{s.Org}/{ServicePublisher.ServiceId(s)}", s.Url, s.Version, s.Arch,
                    s.Sharable.ToString().ToLowerInvariant(), s.Public ? "yes" : "no", s.Owner]));
        }, listId);

        var file = new Option<string>("--json-file", "-f") { Description = "The service.definition.json to publish", Required = true };
        var privateKey = new Option<string?>("--private-key-file", "-k") { Description = "PKCS#8 PEM signing key (default: HZN_PRIVATE_KEY_FILE, else ~/.hzn/keys/service.private.key)" };
        var publicKey = new Option<string?>("--public-key-file", "-K") { Description = "Its SPKI PEM public key (default: HZN_PUBLIC_KEY_FILE, else ~/.hzn/keys/service.public.pem)" };
        var registry = new Option<string[]>("--registry-token", "-r")
        {
            Description = "Registry login registry:user:token used to pull tags and read their digests (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var publish = kit.Command("publish", "Pin images to digests, sign the deployment and publish the service", async (invocation, cancellationToken) =>
        {
            var keys = KeyCommands.DefaultKeyDirectory(invocation.Environment);
            var published = await ServicePublisher.PublishAsync(invocation,
                invocation.GetValue(file),
                invocation.GetValue(privateKey) ?? invocation.Environment.Get("HZN_PRIVATE_KEY_FILE") ?? Path.Combine(keys, KeyCommands.PrivateKeyFile),
                invocation.GetValue(publicKey) ?? invocation.Environment.Get("HZN_PUBLIC_KEY_FILE") ?? Path.Combine(keys, KeyCommands.PublicKeyFile),
                (invocation.GetValue(registry) ?? []).Select(RegistryAuth.Parse).ToList(),
                cancellationToken);
            if (invocation.Json)
            {
                var images = string.Join(",", published.Images.Select(i => JsonSerializer.Serialize(i, Json.CliJsonContext.Default.String)));
                Output.Json(invocation.Out, $$"""{"org":"{{published.Org}}","id":"{{published.Id}}","keyId":"{{published.KeyId}}","images":[{{images}}]}""");
                return;
            }
            invocation.Out.WriteLine($"service {published.Org}/{published.Id} published, deployment signed with key {published.KeyId}");
            foreach (var image in published.Images)
            {
                invocation.Out.WriteLine($"  image {image}");
            }
        }, file, privateKey, publicKey, registry);

        var removeId = Required("service", "The service id to remove (url-as-id_version_arch)");
        var remove = kit.Command("remove", "Remove a service", async (invocation, cancellationToken) =>
        {
            await invocation.Exchange().DeleteDefinitionAsync(ExchangeDefinitionKind.Service, invocation.Org, invocation.GetValue(removeId), cancellationToken);
            invocation.Out.WriteLine($"service {invocation.Org}/{invocation.GetValue(removeId)} removed");
        }, removeId);

        return CommandKit.Group("service", "Services", list, publish, remove);
    }
}
