using System.CommandLine;
using Horizon.Patterns.Signing;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn key create</c>: the publisher's ECDSA P-256 signing key pair.</summary>
internal static class KeyCommands
{
    public const string PrivateKeyFile = "service.private.key";
    public const string PublicKeyFile = "service.public.pem";

    public static string DefaultKeyDirectory(HznEnvironment environment) => Path.Combine(environment.Home, ".hzn", "keys");

    public static Command Create(CommandKit kit)
    {
        var directory = new Option<string?>("--output-dir", "-d") { Description = "Where to write the keys (default: ~/.hzn/keys)" };
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite existing key files" };
        var create = kit.Command("create", $"Create a publisher signing key pair: {PrivateKeyFile} (PKCS#8 PEM, mode 0600) and {PublicKeyFile} (SPKI PEM)",
            async (invocation, cancellationToken) =>
            {
                var folder = invocation.GetValue(directory) ?? DefaultKeyDirectory(invocation.Environment);
                var privatePath = Path.Combine(folder, PrivateKeyFile);
                var publicPath = Path.Combine(folder, PublicKeyFile);
                if (!invocation.GetValue(force) && (File.Exists(privatePath) || File.Exists(publicPath)))
                {
                    throw new CliException(ExitCodes.Conflict, $"keys already exist in {folder}; pass --force to replace them (anything signed with the old key then needs the old public key to verify)");
                }
                Directory.CreateDirectory(folder);
                var pair = SigningKeys.Create();
                await WritePrivateAsync(privatePath, pair.PrivateKeyPem, cancellationToken);
                await File.WriteAllTextAsync(publicPath, pair.PublicKeyPem, cancellationToken);
                if (invocation.Json)
                {
                    Output.Json(invocation.Out, $$"""{"privateKeyFile":{{Quote(privatePath)}},"publicKeyFile":{{Quote(publicPath)}},"keyId":"{{pair.KeyId}}"}""");
                }
                else
                {
                    invocation.Out.WriteLine($"Created a P-256 signing key pair (key id {pair.KeyId}):");
                    invocation.Out.WriteLine($"  private key: {privatePath}");
                    invocation.Out.WriteLine($"  public key:  {publicPath}");
                }
            }, directory, force);
        return CommandKit.Group("key", "Publisher signing keys", create);
    }

    private static async Task WritePrivateAsync(string path, string pem, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        if (File.Exists(path))
        {
            File.Delete(path);
        }
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(pem.AsMemory(), cancellationToken);
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text, Json.CliJsonContext.Default.String);
}
