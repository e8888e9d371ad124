using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Horizon.Testing.Exchange;

/// <summary>
/// Every line an in-process exchange logs, at every level, checked as it is written against the
/// secrets the test used with it (the root password, every client's token and its Basic header) and
/// for private keys. Only offending lines are kept, so a long run costs no memory.
/// </summary>
public sealed class SecretLogScan : ILoggerProvider
{
    /// <summary>Shorter strings match ordinary text by chance ("t2", "pw"); tests use longer secrets.</summary>
    public const int MinimumSecretLength = 4;

    private const int KeptLeaks = 20;
    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _leaks = new();
    private long _lines;

    /// <summary>The lines that held a secret or a private key (at most <see cref="KeptLeaks"/>).</summary>
    public IReadOnlyCollection<string> Leaks => _leaks;

    /// <summary>How many lines were scanned: a scan that saw nothing proves nothing.</summary>
    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>A secret no log line may hold; ignored when shorter than <see cref="MinimumSecretLength"/>.</summary>
    public void Add(string? secret)
    {
        if (secret is { Length: >= MinimumSecretLength })
        {
            _secrets.TryAdd(secret, 0);
        }
    }

    /// <summary>A credential: its token, and the Basic header that carries it.</summary>
    public void AddCredential(string org, string id, string token)
    {
        Add(token);
        if (token.Length >= MinimumSecretLength)
        {
            Add(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{org}/{id}:{token}")));
        }
    }

    public ILogger CreateLogger(string categoryName) => new Scanner(this, categoryName);

    public void Dispose()
    {
    }

    private void Check(string line)
    {
        Interlocked.Increment(ref _lines);
        if ((line.Contains("PRIVATE KEY", StringComparison.Ordinal) || _secrets.Keys.Any(s => line.Contains(s, StringComparison.Ordinal))) && _leaks.Count < KeptLeaks)
        {
            _leaks.Enqueue(line);
        }
    }

    private sealed class Scanner(SecretLogScan owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            owner.Check($"scope {category}: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Check($"{logLevel} {category}[{eventId.Id}]: {formatter(state, exception)} {exception}");
    }
}
