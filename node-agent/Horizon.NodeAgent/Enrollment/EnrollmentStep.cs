using System.Globalization;
using System.Security.Authentication;
using Horizon.Exchange.Client;
using Horizon.Hosting.Settings;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Registration;
using Microsoft.Extensions.Hosting.Systemd;

namespace Horizon.NodeAgent.Enrollment;

/// <summary>
/// Enrolls the device and waits for the decision: the request goes over HTTPS to the exchange, trusted by the CA
/// bundle alone, vouched for by the enrollment certificate; a pending request is logged with the command that
/// approves it. An unreachable exchange (or 429, 5xx) is retried with backoff; what an operator must fix (a wrong CA
/// bundle, an unreadable enrollment certificate, a refusal, a denial) stops the agent with a message naming it.
/// </summary>
internal sealed partial class EnrollmentStep(
    NodeAgentOptions options,
    IHostApplicationLifetime lifetime,
    ISystemdNotifier notifier,
    TimeProvider time,
    ILogger<EnrollmentStep> logger) : IHostedService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        var settings = options.Enrollment;
        var problems = SettingRules.Collect(
            SettingRules.Required("NodeAgent:Enrollment:CertificateFile", settings.CertificateFile),
            SettingRules.Required("NodeAgent:Enrollment:KeyFile", settings.KeyFile)).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidSettingsException("node agent", problems);
        }
        var trust = Settled(() => ExchangeTls.LoadCaBundle(settings.CaFile));
        using var credential = Settled(() => EnrollmentCredential.Load(settings.CertificateFile, settings.KeyFile));
        var folder = new EnrollmentFolder(options.StateDirectory);
        var facts = DeviceFacts.Read() with
        {
            MachineId = folder.MachineId(settings.MachineId),
            Labels = settings.Labels.Count > 0 ? settings.Labels : null,
        };
        using var identity = new NodeIdentity(options);
        using var http = new HttpClient(ExchangeTls.CreateHandler(trust)) { BaseAddress = ExchangeEndpoints.Normalize(new Uri(options.FirstExchangeUrl())) };
        var enrollment = new DeviceEnrollment(http, settings.Org, folder.Path, time);
        using var keepAlive = KeepServiceManagerWaiting(stopping.Token);
        var backoff = TimeSpan.FromSeconds(1);
        Log.Submitting(logger, settings.Org, facts.MachineId!, options.ExchangeUrl);
        while (true)
        {
            try
            {
                var node = await enrollment.EnrollAsync(credential, identity.Keys.IdentityPublicKey, identity.Keys.EncryptionPublicKey, facts,
                    settings.PollInterval, pending => Log.Pending(logger, pending.Id!, settings.Org), stopping.Token);
                Log.Enrolled(logger, settings.Org, node, folder.CertificatePath);
                return;
            }
            catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
            {
                throw new InvalidSettingsException(
                    $"the exchange at {options.ExchangeUrl} presented a certificate that the CA bundle {settings.CaFile} (NodeAgent:Enrollment:CaFile) does not vouch for, " +
                    $"or not for that host name: {e.InnerException.Message}", e);
            }
            catch (HttpRequestException e) when (e.StatusCode is null or System.Net.HttpStatusCode.TooManyRequests || (int?)e.StatusCode >= 500)
            {
                Log.Retrying(logger, backoff, e.Message);
                await Task.Delay(backoff, time, stopping.Token);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            catch (HttpRequestException e)
            {
                throw new InvalidSettingsException($"the exchange refused this device's enrollment: {e.Message}", e);
            }
            catch (EnrollmentDeniedException e)
            {
                throw new InvalidSettingsException($"{e.Message}; to ask again, remove {folder.KeyPath} (a new request needs a new key) and start the agent", e);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static T Settled<T>(Func<T> load)
    {
        try
        {
            return load();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidSettingsException(e.Message, e);
        }
    }

    // Under systemd (Type=notify) a start that waits for an admin would hit the start timeout: extend it while waiting.
    private Timer? KeepServiceManagerWaiting(CancellationToken cancellationToken)
    {
        if (!notifier.IsEnabled)
        {
            return null;
        }
        var extend = new ServiceState(string.Create(CultureInfo.InvariantCulture,
            $"STATUS=waiting for the enrollment decision\nEXTEND_TIMEOUT_USEC={(long)TimeSpan.FromSeconds(90).TotalMicroseconds}"));
        return new Timer(_ =>
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                notifier.Notify(extend);
            }
        }, null, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9300, Level = LogLevel.Information, Message = "Enrolling in org {Org} as machine {MachineId} at {ExchangeUrl}")]
        public static partial void Submitting(ILogger logger, string org, string machineId, string exchangeUrl);

        [LoggerMessage(EventId = 9301, Level = LogLevel.Warning, Message = "Enrollment request {Id} of org {Org} waits for an org admin's decision; approve it with: hzn exchange node approve {Id} --node <node id> [--pattern <org/pattern>]")]
        public static partial void Pending(ILogger logger, string id, string org);

        [LoggerMessage(EventId = 9302, Level = LogLevel.Information, Message = "Enrolled as {Org}/{Node}; device certificate in {Path}")]
        public static partial void Enrolled(ILogger logger, string org, string node, string path);

        [LoggerMessage(EventId = 9303, Level = LogLevel.Warning, Message = "The exchange did not take the enrollment request ({Error}); trying again in {Backoff}")]
        public static partial void Retrying(ILogger logger, TimeSpan backoff, string error);
    }
}
