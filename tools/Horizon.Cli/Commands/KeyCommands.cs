using System.CommandLine;
using Horizon.Patterns.Signing;

namespace Horizon.Cli.Commands;

/// <summary>
/// <c>hzn key create [x509-org x509-cn]</c>: the publisher's ECDSA P-256 signing key pair. Given Open
/// Horizon's organization and common name, the public half is a self-signed X.509 certificate naming
/// them, as Open Horizon writes it; without them, an SPKI public key.
/// </summary>
internal static class KeyCommands
{
    public const string PrivateKeyFile = "service.private.key";
    public const string PublicKeyFile = "service.public.pem";

    public static string DefaultKeyDirectory(HznEnvironment environment) => Path.Combine(environment.Home, ".hzn", "keys");

    public static Command Create(CommandKit kit)
    {
        var organization = new Argument<string?>("x509-org") { Description = "The certificate's organization (O), e.g. your company", Arity = ArgumentArity.ZeroOrOne };
        var commonName = new Argument<string?>("x509-cn") { Description = "The certificate's common name (CN), e.g. your email address", Arity = ArgumentArity.ZeroOrOne };
        var directory = new Option<string?>("--output-dir", "-d") { Description = "Where to write the keys (default: ~/.hzn/keys); exclusive with -k and -K" };
        var privatePath = new Option<string?>("--private-key-file", "-k") { Description = "The private key file (default: HZN_PRIVATE_KEY_FILE, else ~/.hzn/keys/service.private.key)" };
        var publicPath = new Option<string?>("--public-key-file", "--pubic-key-file", "-K") { Description = "The public key file (default: HZN_PUBLIC_KEY_FILE, else ~/.hzn/keys/service.public.pem)" };
        var force = new Option<bool>("--force", "--overwrite", "-f") { Description = "Overwrite existing key files" };
        var length = new Option<int?>("--length", "-l") { Description = "Accepted for Open Horizon's scripts: Horizon keys are ECDSA P-256, whose size is fixed" };
        var daysValid = new Option<int>("--days-valid") { Description = "How long the certificate is valid, in days", DefaultValueFactory = _ => 1461 };
        var import = new Option<bool>("--import", "-i") { Description = "Accepted for Open Horizon's scripts: Horizon nodes read publisher keys from the exchange" };
        var create = kit.Command("create|cr", $"Create a publisher signing key pair: {PrivateKeyFile} (PKCS#8 PEM, mode 0600) and {PublicKeyFile} (certificate or SPKI PEM)",
            async (invocation, cancellationToken) =>
            {
                var (org, cn) = (invocation.GetValue(organization), invocation.GetValue(commonName));
                if (org is not null && cn is null)
                {
                    throw new CliException(ExitCodes.Usage, "give both the certificate's organization and common name: hzn key create <x509-org> <x509-cn>");
                }
                if (invocation.GetValue(directory) is not null && (invocation.GetValue(privatePath) is not null || invocation.GetValue(publicPath) is not null))
                {
                    throw new CliException(ExitCodes.Usage, "-d is exclusive with -k and -K");
                }
                var folder = invocation.GetValue(directory) ?? DefaultKeyDirectory(invocation.Environment);
                var privateFile = invocation.GetValue(directory) is not null ? Path.Combine(folder, PrivateKeyFile)
                    : invocation.GetValue(privatePath) ?? invocation.Environment.Get("HZN_PRIVATE_KEY_FILE") ?? Path.Combine(folder, PrivateKeyFile);
                var publicFile = invocation.GetValue(directory) is not null ? Path.Combine(folder, PublicKeyFile)
                    : invocation.GetValue(publicPath) ?? invocation.Environment.Get("HZN_PUBLIC_KEY_FILE") ?? Path.Combine(folder, PublicKeyFile);
                if (!invocation.GetValue(force) && (File.Exists(privateFile) || File.Exists(publicFile)))
                {
                    throw new CliException(ExitCodes.Conflict, $"keys already exist ({privateFile}, {publicFile}); pass --force (or -f) to replace them (anything signed with the old key then needs the old public key to verify)");
                }
                if (invocation.GetValue(length) is not null)
                {
                    await invocation.Environment.Error.WriteLineAsync("hzn: note: -l is ignored: Horizon keys are ECDSA P-256, whose size is fixed");
                }
                if (invocation.GetValue(import))
                {
                    await invocation.Environment.Error.WriteLineAsync("hzn: note: -i needs nothing here: Horizon nodes read each service's public key from the exchange");
                }
                var pair = SigningKeys.Create();
                var publicPem = cn is null ? pair.PublicKeyPem
                    : SigningKeys.CreateSelfSignedCertificatePem(pair.PrivateKeyPem, org!, cn, TimeSpan.FromDays(invocation.GetValue(daysValid)));
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(privateFile))!);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(publicFile))!);
                await WritePrivateAsync(privateFile, pair.PrivateKeyPem, cancellationToken);
                await File.WriteAllTextAsync(publicFile, publicPem, cancellationToken);
                if (invocation.Json)
                {
                    Output.Json(invocation.Out, $$"""{"privateKeyFile":{{Quote(privateFile)}},"publicKeyFile":{{Quote(publicFile)}},"keyId":"{{pair.KeyId}}"}""");
                }
                else
                {
                    invocation.Out.WriteLine($"Created a P-256 signing key pair (key id {pair.KeyId}):");
                    invocation.Out.WriteLine($"  private key: {privateFile}");
                    invocation.Out.WriteLine($"  public key:  {publicFile}{(cn is null ? "" : $" (certificate for O={org}, CN={cn})")}");
                }
            }, organization, commonName, directory, privatePath, publicPath, force, length, daysValid, import);
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
