using System.CommandLine;
using Horizon.Cli.Agent;
using Horizon.Exchange.Client;

namespace Horizon.Cli;

/// <summary>
/// One run of one command: its parsed options, the environment, and which component it is talking
/// to (so an unreachable one can be named in the error).
/// </summary>
internal sealed class Invocation(HznEnvironment environment, GlobalOptions options, ParseResult parse) : IDisposable
{
    public const string DefaultExchangeUrl = "http://127.0.0.1:3090/v1";
    public const string DefaultAgentUrl = "http://127.0.0.1:8510";

    private readonly List<IDisposable> _owned = [];

    public HznEnvironment Environment { get; } = environment;

    public ParseResult Parse { get; } = parse;

    public bool Json => Parse.GetValue(options.Json);

    public TextWriter Out => Environment.Out;

    /// <summary>What the command is talking to right now, for "cannot reach ..." messages.</summary>
    public string? Remote { get; set; }

    /// <summary>What to do when <see cref="Remote"/> cannot be reached.</summary>
    public string RemoteHint { get; set; } = "";

    /// <summary>The file being read, for "... is invalid" messages.</summary>
    public string? InputName { get; set; }

    public string CredentialsName { get; private set; } = "these credentials";

    public T GetValue<T>(Option<T> option) => Parse.GetValue(option)!;

    public T GetValue<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>
    /// HZN_EXCHANGE_URL: one exchange, or several on one database separated by commas, which the
    /// client tries in turn when one cannot be reached.
    /// </summary>
    public IReadOnlyList<Uri> ExchangeUrls
    {
        get
        {
            var text = Environment.Get("HZN_EXCHANGE_URL") ?? DefaultExchangeUrl;
            try
            {
                return ExchangeEndpoints.Parse(text);
            }
            catch (FormatException e)
            {
                throw new CliException(ExitCodes.Usage, $"HZN_EXCHANGE_URL \"{text}\": {e.Message}; set it like {DefaultExchangeUrl} (or several, separated by commas)");
            }
        }
    }

    /// <summary>The org commands act in: -o, else HZN_ORG_ID, else the org of the credentials.</summary>
    public string Org => Parse.GetValue(options.Org) ?? Environment.Get("HZN_ORG_ID") ?? Credentials().Org;

    /// <summary>An id argument in Open Horizon's forms: <c>name</c> in <see cref="Org"/>, or <c>org/name</c>.</summary>
    /// <exception cref="CliException">The id has more than one '/'.</exception>
    public (string Org, string Name) Id(string id, string what) => OrgQualifiedId.Split(id, Org, what);

    /// <summary>Credentials from -u or HZN_EXCHANGE_USER_AUTH; <c>user:pw</c> takes its org from -o or HZN_ORG_ID.</summary>
    public ExchangeCredentials Credentials() => Credentials(null);

    private ExchangeCredentials Credentials(string? given)
    {
        var text = given ?? Parse.GetValue(options.UserPw) ?? Environment.Get("HZN_EXCHANGE_USER_AUTH")
            ?? throw new CliException(ExitCodes.Unauthorized,
                "no exchange credentials: set HZN_EXCHANGE_USER_AUTH=org/user:password (or user:password with HZN_ORG_ID), or pass -u");
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && !text[..colon].Contains('/', StringComparison.Ordinal))
        {
            var org = Parse.GetValue(options.Org) ?? Environment.Get("HZN_ORG_ID")
                ?? throw new CliException(ExitCodes.Usage, "the credentials name no org: write org/user:password, or set HZN_ORG_ID");
            text = $"{org}/{text}";
        }
        try
        {
            var credentials = ExchangeCredentials.Parse(text);
            CredentialsName = credentials.ToString();
            return credentials;
        }
        catch (FormatException)
        {
            throw new CliException(ExitCodes.Usage, "exchange credentials must read org/user:password (or user:password with HZN_ORG_ID)");
        }
    }

    /// <summary>A typed exchange client for the configured URL and credentials (or <paramref name="credentials"/>, <c>[org/]user:password</c>).</summary>
    public ExchangeClient Exchange(string? credentials = null)
    {
        var urls = ExchangeUrls;
        var client = new ExchangeClient(urls, Credentials(credentials));
        _owned.Add(client);
        TalkingTo(urls.Count == 1 ? $"the exchange at {urls[0]}" : $"the exchanges at {string.Join(", ", urls)}", "Is it running? Set HZN_EXCHANGE_URL to its address (e.g. " + DefaultExchangeUrl + ").");
        return client;
    }

    /// <summary>The node agent's local API (HORIZON_URL, default <see cref="DefaultAgentUrl"/>).</summary>
    public AgentClient Agent()
    {
        var text = Environment.Get("HORIZON_URL") ?? DefaultAgentUrl;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            throw new CliException(ExitCodes.Usage, $"HORIZON_URL \"{text}\" is not a URL; set it like {DefaultAgentUrl}");
        }
        var client = new AgentClient(url);
        _owned.Add(client);
        TalkingTo($"the node agent at {url}", "Is horizon-node-agent running on this machine? Set HORIZON_URL if it listens elsewhere.");
        return client;
    }

    public void TalkingTo(string remote, string hint)
    {
        Remote = remote;
        RemoteHint = hint;
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
