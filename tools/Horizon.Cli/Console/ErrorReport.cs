using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Docker.DotNet;
using Horizon.Docker;
using Horizon.Exchange.Client;
using Horizon.Patterns.Signing;
using Horizon.Patterns.Validation;

namespace Horizon.Cli;

/// <summary>Turns what went wrong into an exit code and a sentence that says what to do next.</summary>
internal static class ErrorReport
{
    public static (int ExitCode, string Message) Describe(Exception error, Invocation invocation)
    {
        var (exitCode, message) = DescribeEncoded(error, invocation);
        // Ids travel URL-encoded in request paths ("org%2Fname", "%2A"); people read them as written.
        return (exitCode, Unescape(message));
    }

    private static string Unescape(string message)
    {
        try
        {
            return Uri.UnescapeDataString(message);
        }
        catch (UriFormatException)
        {
            return message;
        }
    }

    private static (int ExitCode, string Message) DescribeEncoded(Exception error, Invocation invocation)
    {
        var remote = invocation.Remote ?? "the remote service";
        return error switch
        {
            CliException cli => (cli.ExitCode, cli.Message),
            ExchangeUnauthorizedException e => (ExitCodes.Unauthorized,
                $"the exchange refused the credentials of {invocation.CredentialsName}: {Detail(e)}. "
                + "Set HZN_EXCHANGE_USER_AUTH (org/user:password, or user:password with HZN_ORG_ID) or pass -u."),
            ExchangeForbiddenException e => (ExitCodes.Unauthorized,
                $"access refused (403): {invocation.CredentialsName} may not do this: {Detail(e)}. Use an identity with the right (an org admin, or the owner), or have the owner make it public."),
            ExchangeNotFoundException e => (ExitCodes.NotFound, $"not found: {Detail(e)}. Check the name with the matching 'hzn exchange ... list'."),
            ExchangeConflictException e => (ExitCodes.Conflict, $"conflict: {Detail(e)}."),
            ExchangeException { StatusCode: HttpStatusCode.BadRequest } e => (ExitCodes.Usage, $"the exchange rejected the request: {Detail(e)}"),
            ExchangeException e => (ExitCodes.RemoteFailure, $"the exchange failed: {e.Message}"),
            DockerPullException e => Docker(e.Kind, e.Message),
            DockerApiException e => Docker(DockerFailures.Classify(e), DockerFailures.MessageOf(e)),
            HttpRequestException or SocketException or TimeoutException or TaskCanceledException => (ExitCodes.Unreachable,
                $"cannot reach {remote}: {error.Message}. {invocation.RemoteHint}".TrimEnd()),
            ModelFormatException e => (ExitCodes.Usage, $"{invocation.InputName ?? "input"} is invalid:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", e.Errors.Select(x => x.ToString()))),
            SigningKeyException e => (ExitCodes.Usage, $"{invocation.InputName ?? "the key"} cannot be used for signing: {e.Message}"),
            CryptographicException e => (ExitCodes.Usage, $"{invocation.InputName ?? "the key"} cannot be used: {e.Message}"),
            FileNotFoundException e => (ExitCodes.Usage, $"{e.FileName ?? e.Message} does not exist"),
            DirectoryNotFoundException e => (ExitCodes.Usage, e.Message),
            UnauthorizedAccessException e => (ExitCodes.Unauthorized, e.Message),
            IOException e => (ExitCodes.Usage, e.Message),
            _ => (ExitCodes.RemoteFailure, $"hzn failed unexpectedly (please report this): {error}"),
        };
    }

    private static (int, string) Docker(DockerFailureKind kind, string message) => kind switch
    {
        DockerFailureKind.RegistryAuthentication => (ExitCodes.Unauthorized,
            $"the registry refused the pull: {message}. Give its credentials with -r registry:user:token."),
        DockerFailureKind.NotFound => (ExitCodes.NotFound, $"not found by the Docker engine: {message}. Check the image name and tag, and that it was pushed."),
        _ => (ExitCodes.RemoteFailure, $"the Docker engine failed: {message}"),
    };

    private static string Detail(ExchangeException e) => e.Problem?.Detail ?? e.Problem?.Title ?? e.Message;
}
