using System.Security.Cryptography;
using Horizon.Agreements;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Tests.Support;
using Horizon.NodeAgent.Workloads;
using Horizon.Testing.Docker;

namespace Horizon.NodeAgent.Tests.Negotiation;

/// <summary>Steps the scripted agbot takes in many tests: agree on a service and wait for its container.</summary>
internal static class NegotiationSteps
{
    public static string NewAgreementId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Proposal → accepted reply → replyack → the one container of the agreement runs. Returns the agreement id and that container.</summary>
    public static async Task<(string AgreementId, EngineContainer Container)> AgreeAsync(NegotiationBed bed, DockerFixture docker, WorkloadService service)
    {
        var agreementId = NewAgreementId();
        await bed.SendToNodeAsync(new Proposal { AgreementId = agreementId, Terms = bed.Terms(service) });
        var reply = await bed.ReceiveAsync<ProposalReply>(agreementId);
        if (!reply.Decision)
        {
            throw new InvalidOperationException($"the node declined the proposal: {reply.Reason} {reply.Message}");
        }
        await bed.SendToNodeAsync(new ReplyAck { AgreementId = agreementId, Proceed = true });
        var running = await WaitForAsync(() => RunningAsync(docker, agreementId), c => c.Count == 1, "the agreement's container to run");
        return (agreementId, running[0]);
    }

    /// <summary>The agreement's running containers on the engine.</summary>
    public static async Task<IReadOnlyList<EngineContainer>> RunningAsync(DockerFixture docker, string agreementId)
    {
        using var client = TestEngine.Create();
        return [.. (await client.ListContainersAsync([$"{WorkloadLabels.Agreement}={agreementId}", docker.RunLabel])).Where(c => c.State == "running")];
    }

    /// <summary>Every container of the agreement, in any state.</summary>
    public static async Task<IReadOnlyList<EngineContainer>> AllAsync(string agreementId)
    {
        using var client = TestEngine.Create();
        return await client.ListContainersAsync([$"{WorkloadLabels.Agreement}={agreementId}"]);
    }

    /// <summary>Cancels from the agbot's side and waits until nothing of the agreement is left.</summary>
    public static async Task CancelAsync(NegotiationBed bed, string agreementId)
    {
        await bed.SendToNodeAsync(new CancelAgreement { AgreementId = agreementId, Reason = (int)CancelReason.AgbotRequested });
        await WaitForAsync(() => AllAsync(agreementId), c => c.Count == 0, "the teardown");
    }

    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        var value = await probe();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {seconds} s for {what}");
            }
            await Task.Delay(100);
            value = await probe();
        }
        return value;
    }
}
