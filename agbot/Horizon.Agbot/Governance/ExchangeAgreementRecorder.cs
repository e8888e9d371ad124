using Horizon.Agbot.Hosting;
using Horizon.Agbot.Storage;
using Horizon.Exchange.Client;

namespace Horizon.Agbot.Governance;

/// <summary>
/// Mirrors finalized agreements into the exchange's agbot agreement records, so users can list
/// them (<c>hzn exchange agbot listagreement</c>). The local store is the truth: a failed write is
/// logged and not retried here; the governor writes live agreements again on each pass.
/// </summary>
public sealed partial class ExchangeAgreementRecorder(ExchangeClient exchange, AgbotOptions options, ILogger<ExchangeAgreementRecorder> logger)
{
    public async Task RecordAsync(AgreementRecord agreement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        try
        {
            await exchange.PutAgbotAgreementAsync(options.Org, options.Id, agreement.Id, new AgbotAgreement
            {
                Id = agreement.Id,
                Service = new AgreementServiceRef { Orgid = agreement.ServiceOrg, Pattern = agreement.Source, Url = agreement.ServiceUrl },
                State = agreement.State == AgreementState.Finalized ? "finalized" : agreement.State.ToString().ToLowerInvariant(),
            }, cancellationToken);
        }
        catch (Exception e) when (e is ExchangeException or HttpRequestException)
        {
            LogFailed(agreement.Id, "record", e.Message);
        }
    }

    public async Task RemoveAsync(string agreementId, CancellationToken cancellationToken = default)
    {
        try
        {
            await exchange.DeleteAgbotAgreementAsync(options.Org, options.Id, agreementId, cancellationToken);
        }
        catch (ExchangeNotFoundException)
        {
            // Never recorded (cancelled before it was finalized): nothing to remove.
        }
        catch (Exception e) when (e is ExchangeException or HttpRequestException)
        {
            LogFailed(agreementId, "remove", e.Message);
        }
    }

    [LoggerMessage(EventId = 8501, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: could not {Action} the exchange's agbot agreement record: {Error}")]
    private partial void LogFailed(string agreementId, string action, string error);
}
