using System.Text;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.Switchboard.Tests.Mailboxes;

/// <summary>Runs a mailbox's receive loop until the expected number of deliveries, with a bound in time.</summary>
internal static class MailboxReceiving
{
    public static async Task<List<MailboxDelivery>> CollectAsync(Mailbox mailbox, int count,
        Func<OpenedEnvelope, Task>? handler = null, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        var deliveries = new List<MailboxDelivery>();
        try
        {
            await foreach (var delivery in mailbox.ReceiveAsync((envelope, _) => handler?.Invoke(envelope) ?? Task.CompletedTask, timeout.Token))
            {
                deliveries.Add(delivery);
                if (deliveries.Count == count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        Assert.True(deliveries.Count == count,
            $"expected {count} deliveries, got {deliveries.Count}: {string.Join(", ", deliveries.Select(d => d.Outcome))}");
        return deliveries;
    }

    public static string Text(MailboxDelivery delivery) => Encoding.UTF8.GetString(delivery.Envelope!.Payload.Span);
}
