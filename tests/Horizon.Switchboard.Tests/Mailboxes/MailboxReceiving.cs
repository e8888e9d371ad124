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

    /// <summary>Runs the receive loop until <paramref name="done"/> holds after a delivery (or 60 s pass).</summary>
    public static async Task<List<MailboxDelivery>> CollectUntilAsync(Mailbox mailbox, Func<bool> done, Func<OpenedEnvelope, Task>? handler = null, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(60));
        var deliveries = new List<MailboxDelivery>();
        try
        {
            await foreach (var delivery in mailbox.ReceiveAsync((envelope, _) => handler?.Invoke(envelope) ?? Task.CompletedTask, timeout.Token))
            {
                deliveries.Add(delivery);
                if (done())
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        Assert.True(done(), $"the condition did not hold after {deliveries.Count} deliveries");
        return deliveries;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after <paramref name="within"/> (30 s).</summary>
    public static async Task WaitForAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(50);
        }
    }

    public static string Text(MailboxDelivery delivery) => Encoding.UTF8.GetString(delivery.Envelope!.Payload.Span);
}
