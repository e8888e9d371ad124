using Horizon.Hosting.Logging;
using Microsoft.Extensions.Logging;

namespace Horizon.Observability.Tests;

/// <summary>Lines logged while an agreement is handled carry its id as a structured scope field.</summary>
public sealed partial class AgreementLogScopeTests
{
    [Fact]
    public void BeginAgreementScope_PutsTheAgreementIdInTheScopeOfEveryLine()
    {
        var provider = new ScopeRecorder();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(provider));
        var logger = factory.CreateLogger("test");
        var id = new string('a', 64);

        using (logger.BeginAgreementScope(id))
        {
            LogHandled(logger);
        }
        LogAfter(logger);

        Assert.Equal([(AgreementLogScope.Field, (object?)id)], provider.Lines["handled"]);
        Assert.Empty(provider.Lines["after"]);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "handled")]
    private static partial void LogHandled(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "after")]
    private static partial void LogAfter(ILogger logger);

    private sealed class ScopeRecorder : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public Dictionary<string, List<(string, object?)>> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Recorder(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Recorder(ScopeRecorder owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var fields = new List<(string, object?)>();
                owner._scopes.ForEachScope((scope, list) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        list.AddRange(pairs.Select(p => (p.Key, p.Value)));
                    }
                }, fields);
                owner.Lines[formatter(state, exception)] = fields;
            }
        }
    }
}
