using Horizon.Agbot.Hosting;
using Horizon.Exchange.Client;
using Horizon.Switchboard.Keys;

namespace Horizon.Agbot.Discovery;

/// <summary>Registers the agbot's identity and encryption keys and its inbox on its exchange record.</summary>
public sealed partial class AgbotRegistration(ExchangeClient exchange, PartyKeys keys, AgbotOptions options, ILogger<AgbotRegistration> logger)
{
    /// <exception cref="InvalidOperationException">The exchange holds other keys for this agbot, or does not know it.</exception>
    /// <exception cref="ExchangeException">The exchange refused or failed otherwise.</exception>
    public async Task RegisterAsync(CancellationToken cancellationToken = default)
    {
        ExchangeAgbot existing;
        try
        {
            existing = await exchange.GetAgbotAsync(options.Org, options.Id, cancellationToken);
        }
        catch (ExchangeNotFoundException)
        {
            throw new InvalidOperationException($"agbot {options.Identity} is not in the exchange: an org admin creates it first (hzn exchange agbot create)");
        }
        try
        {
            await exchange.PutAgbotAsync(options.Org, options.Id, new ExchangeAgbot
            {
                Name = existing.Name,
                MsgEndPoint = Horizon.Switchboard.Mailboxes.MailboxSubjects.Inbox(options.Address),
                PublicKey = keys.IdentityPublicKey,
                EncryptionKey = keys.EncryptionPublicKey,
            }, cancellationToken);
        }
        catch (ExchangeConflictException)
        {
            throw new InvalidOperationException(
                $"agbot {options.Identity} has other keys registered in the exchange than those in {options.StateDirectory}/keys; " +
                "restore the original keys, or delete and recreate the agbot in the exchange");
        }
        LogRegistered(options.Identity);
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Agbot {Agbot} registered its keys and inbox in the exchange")]
    private partial void LogRegistered(string agbot);
}
