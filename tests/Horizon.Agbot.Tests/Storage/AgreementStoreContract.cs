using Horizon.Agbot.Storage;
using Xunit;

namespace Horizon.Agbot.Tests.Storage;

/// <summary>The behaviour every agreement store must show, run on SQLite and on PostgreSQL.</summary>
public abstract class AgreementStoreContract
{
    protected abstract Task<IAgreementStore> OpenAsync();

    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static AgreementRecord Proposal(string node = "n1", string workload = "pattern:o/p:o/svc", string? id = null) => new()
    {
        Id = id ?? Horizon.Agreements.AgreementId.New(),
        NodeOrg = "o",
        NodeId = node,
        Workload = workload,
        Source = "o/p",
        ServiceOrg = "o",
        ServiceUrl = "svc",
        ServiceVersion = "1.0.0",
        Arch = "amd64",
        State = AgreementState.Proposed,
        Pending = PendingMessage.Proposal,
        Agbot = "o/agbot",
        ProposalJson = "{}",
        MissingHeartbeatInterval = 30,
        CreatedAt = T0,
        UpdatedAt = T0,
        ReplyDeadline = T0.AddSeconds(10),
    };

    [Fact]
    public async Task SecondLiveAgreement_ForTheSameNodeAndWorkload_IsRefused()
    {
        await using var store = await OpenAsync();
        Assert.True(await store.TryInsertAsync(Proposal()));
        Assert.False(await store.TryInsertAsync(Proposal()));
        Assert.True(await store.TryInsertAsync(Proposal(workload: "pattern:o/p:o/other")));
        Assert.True(await store.TryInsertAsync(Proposal(node: "n2")));
    }

    [Fact]
    public async Task CancelledAgreement_FreesTheSlot_ForANewProposal()
    {
        await using var store = await OpenAsync();
        var first = Proposal();
        Assert.True(await store.TryInsertAsync(first));
        var cancelled = first with { State = AgreementState.Cancelled, Pending = PendingMessage.Cancel, CancelReason = 201, CancelledAt = T0.AddSeconds(11), UpdatedAt = T0.AddSeconds(11) };
        Assert.True(await store.TryTransitionAsync(AgreementState.Proposed, cancelled));
        Assert.True(await store.TryInsertAsync(Proposal() with { CreatedAt = T0.AddSeconds(12) }));
        var history = await store.ListAsync(new AgreementQuery { NodeOrg = "o", NodeId = "n1" });
        Assert.Equal([AgreementState.Proposed, AgreementState.Cancelled], history.Select(a => a.State));
        Assert.Equal(201, history[1].CancelReason);
    }

    [Fact]
    public async Task Transition_FromAStateTheAgreementHasLeft_IsRefusedAndChangesNothing()
    {
        await using var store = await OpenAsync();
        var proposal = Proposal();
        await store.TryInsertAsync(proposal);
        Assert.True(await store.TryTransitionAsync(AgreementState.Proposed, proposal with { State = AgreementState.Accepted, Pending = PendingMessage.ReplyAck }));
        Assert.False(await store.TryTransitionAsync(AgreementState.Proposed, proposal with { State = AgreementState.Cancelled, CancelReason = 201 }));
        var stored = await store.GetAsync(proposal.Id);
        Assert.Equal((AgreementState.Accepted, PendingMessage.ReplyAck, (int?)null), (stored!.State, stored.Pending, stored.CancelReason));
    }

    [Fact]
    public async Task EveryFieldWritten_IsReadBackUnchanged()
    {
        await using var store = await OpenAsync();
        var proposal = Proposal() with { CancelMessage = "x", VerifiedAt = T0.AddSeconds(3), FinalizedAt = T0.AddSeconds(2), CheckAgreementStatus = 15 };
        await store.TryInsertAsync(proposal);
        Assert.Equal(proposal, await store.GetAsync(proposal.Id));
        Assert.Null(await store.GetAsync(Horizon.Agreements.AgreementId.New()));
    }

    [Fact]
    public async Task ListedWithoutDocuments_EveryOtherFieldIsThere_AndTheRecordCannotBeWrittenBack()
    {
        await using var store = await OpenAsync();
        var proposal = Proposal() with { ProposalJson = "{\"terms\":\"several KB\"}", State = AgreementState.Finalized, Pending = PendingMessage.None, FinalizedAt = T0.AddSeconds(2) };
        await store.TryInsertAsync(proposal);
        var updating = proposal with { UpdateVersion = "2.0.0", UpdateJson = "{\"update\":1}", UpdateRollout = "r", UpdateDeadline = T0.AddSeconds(60), UnansweredJson = "[]" };
        Assert.True(await store.TryChangeUpdateAsync(null, updating));

        var listed = Assert.Single(await store.ListAsync(new AgreementQuery { State = AgreementState.Finalized, WithoutDocuments = true }));

        Assert.False(listed.HasDocuments);
        Assert.Equal(updating with { ProposalJson = "", UpdateJson = null, UnansweredJson = null, HasDocuments = false }, listed);
        Assert.True(listed.IsUpdating);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.TryTransitionAsync(AgreementState.Finalized, listed with { State = AgreementState.Cancelled }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.TryChangeUpdateAsync("2.0.0", listed with { UpdateVersion = null }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.TryInsertAsync(listed with { Id = Horizon.Agreements.AgreementId.New(), NodeId = "n9" }));
        Assert.Equal(updating, await store.GetAsync(proposal.Id));
    }

    [Fact]
    public async Task PendingMessages_AndExpiredProposals_AreFoundForResume()
    {
        await using var store = await OpenAsync();
        var waiting = Proposal(node: "a");
        var sent = Proposal(node: "b") with { ReplyDeadline = T0.AddSeconds(60) };
        await store.TryInsertAsync(waiting);
        await store.TryInsertAsync(sent);
        await store.ClearPendingAsync(sent.Id, PendingMessage.Proposal);
        var pending = await store.ListAsync(new AgreementQuery { PendingOnly = true });
        Assert.Equal([waiting.Id], pending.Select(a => a.Id));
        var expired = await store.ListAsync(new AgreementQuery { ReplyDeadlineBefore = T0.AddSeconds(30) });
        Assert.Equal([waiting.Id], expired.Select(a => a.Id));
        Assert.Equal(waiting.Id, (await store.GetLiveAsync("o", "a", waiting.Workload))!.Id);
    }

    [Fact]
    public async Task CompatibilityVerdicts_AndCursors_AreKeptAndReplaced()
    {
        await using var store = await OpenAsync();
        await store.SaveCompatibilityAsync(new NodeCompatibility("o", "n1", "w", false, ["arch differs"], T0));
        await store.SaveCompatibilityAsync(new NodeCompatibility("o", "n1", "w", false, ["arch differs", "input missing"], T0.AddSeconds(1)));
        var verdict = Assert.Single(await store.ListCompatibilityAsync("o", "n1"));
        Assert.Equal(["arch differs", "input missing"], verdict.Reasons);
        Assert.Equal(0, await store.GetCursorAsync("changes"));
        await store.SetCursorAsync("changes", 41);
        await store.SetCursorAsync("changes", 42);
        Assert.Equal(42, await store.GetCursorAsync("changes"));
    }

    [Fact]
    public async Task ConcurrentInserts_ForOneNodeAndWorkload_LeaveExactlyOneLiveAgreement()
    {
        await using var store = await OpenAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.TryInsertAsync(Proposal()))));
        Assert.Single(results, r => r);
        Assert.Single(await store.ListAsync(new AgreementQuery { NodeId = "n1" }));
    }

    [Fact]
    public async Task Update_IsRecordedOnlyOnAFinalizedAgreementWithoutOneInFlight_AndEndsOnlyForTheVersionInFlight()
    {
        await using var store = await OpenAsync();
        var proposal = Proposal();
        await store.TryInsertAsync(proposal);
        var updating = proposal with { UpdateVersion = "2.0.0", UpdateJson = "{}", UpdateRollout = "w@2.0.0", UpdateDeadline = T0.AddSeconds(60), Pending = PendingMessage.Update };
        Assert.False(await store.TryChangeUpdateAsync(null, updating)); // still a proposal
        var finalized = proposal with { State = AgreementState.Finalized, Pending = PendingMessage.None, FinalizedAt = T0 };
        Assert.True(await store.TryTransitionAsync(AgreementState.Proposed, finalized));
        updating = updating with { State = AgreementState.Finalized, FinalizedAt = T0 };
        Assert.True(await store.TryChangeUpdateAsync(null, updating));
        Assert.False(await store.TryChangeUpdateAsync(null, updating with { UpdateVersion = "3.0.0" }));
        Assert.Equal(updating, await store.GetAsync(proposal.Id));
        var applied = finalized with { ServiceVersion = "2.0.0", ProposalJson = "{\"v\":2}" };
        Assert.False(await store.TryChangeUpdateAsync("3.0.0", applied));
        Assert.True(await store.TryChangeUpdateAsync("2.0.0", applied));
        Assert.Equal(applied, await store.GetAsync(proposal.Id));
    }

    [Fact]
    public async Task UpdatesPastTheirDeadline_AreFound_WithoutTheOthers()
    {
        await using var store = await OpenAsync();
        AgreementRecord Finalized(string node) => Proposal(node: node) with { State = AgreementState.Finalized, Pending = PendingMessage.None, FinalizedAt = T0 };
        var late = Finalized("late") with { UpdateVersion = "2.0.0", UpdateJson = "{}", UpdateRollout = "w@2.0.0", UpdateDeadline = T0.AddSeconds(20), Pending = PendingMessage.Update };
        var inTime = late with { Id = Horizon.Agreements.AgreementId.New(), NodeId = "in-time", UpdateDeadline = T0.AddSeconds(90) };
        foreach (var agreement in new[] { late, inTime, Finalized("settled") })
        {
            Assert.True(await store.TryInsertAsync(agreement));
        }
        var expired = await store.ListAsync(new AgreementQuery { State = AgreementState.Finalized, UpdateDeadlineBefore = T0.AddSeconds(30), Limit = AgreementQuery.All });
        Assert.Equal(["late"], expired.Select(a => a.NodeId));
        Assert.Equal(3, (await store.ListAsync(new AgreementQuery { State = AgreementState.Finalized, Limit = AgreementQuery.All })).Count);
    }

    [Fact]
    public async Task Rollouts_AndTheirMembers_AreKeptPerAgbot_AndTheirStateReplaced()
    {
        await using var store = await OpenAsync();
        var rollout = new RolloutRecord { Agbot = "o/a1", Workload = "w", Version = "2.0.0", CreatedAt = T0, UpdatedAt = T0 };
        await store.SaveRolloutAsync(rollout);
        await store.SaveRolloutAsync(rollout with { Agbot = "o/a2" });
        await store.SaveRolloutAsync(rollout with { State = RolloutState.Stopped, Batch = 3, UpdatedAt = T0.AddSeconds(5) });
        Assert.Equal(rollout with { State = RolloutState.Stopped, Batch = 3, UpdatedAt = T0.AddSeconds(5) }, await store.GetRolloutAsync("o/a1", "w", "2.0.0"));
        Assert.Null(await store.GetRolloutAsync("o/a1", "w", "3.0.0"));
        Assert.Single(await store.ListRolloutsAsync("o/a2"));
        var member = new RolloutMember { Agbot = "o/a1", Workload = "w", Version = "2.0.0", AgreementId = "x", Batch = 1, OldVersion = "1.0.0", OldProposalJson = "{}", UpdatedAt = T0 };
        await store.SaveRolloutMemberAsync(member);
        await store.SaveRolloutMemberAsync(member with { Outcome = UpdateOutcome.Accepted, UpdatedAt = T0.AddSeconds(1) });
        Assert.Equal([member with { Outcome = UpdateOutcome.Accepted, UpdatedAt = T0.AddSeconds(1) }], await store.ListRolloutMembersAsync("o/a1", "w", "2.0.0"));
        Assert.Empty(await store.ListRolloutMembersAsync("o/a2", "w", "2.0.0"));
    }

    [Fact]
    public async Task RolloutMembersListedWithoutOldProposals_CanBeSaved_WithoutLosingTheStoredOne()
    {
        await using var store = await OpenAsync();
        var member = new RolloutMember { Agbot = "o/a1", Workload = "w", Version = "2.0.0", AgreementId = "x", Batch = 1, OldVersion = "1.0.0", OldProposalJson = "{\"old\":1}", UpdatedAt = T0 };
        await store.SaveRolloutMemberAsync(member);

        var listed = Assert.Single(await store.ListRolloutMembersAsync("o/a1", "w", "2.0.0", withoutOldProposals: true));
        Assert.Equal(member with { OldProposalJson = "" }, listed);
        await store.SaveRolloutMemberAsync(listed with { Outcome = UpdateOutcome.RollingBack, UpdatedAt = T0.AddSeconds(1) });

        Assert.Equal(member with { Outcome = UpdateOutcome.RollingBack, UpdatedAt = T0.AddSeconds(1) }, await store.GetRolloutMemberAsync("o/a1", "w", "2.0.0", "x"));
    }

    [Fact]
    public async Task UnansweredUpdates_AndRollbackRetries_AreKeptAndReplaced()
    {
        await using var store = await OpenAsync();
        var finalized = Proposal() with { State = AgreementState.Finalized, Pending = PendingMessage.None, FinalizedAt = T0 };
        await store.TryInsertAsync(finalized);
        var late = UnansweredUpdate.Encode([new UnansweredUpdate { Version = "2.0.0", UpdateJson = "{\"v\":2}", Rollout = "w@2.0.0" }]);
        Assert.True(await store.TryChangeUpdateAsync(null, finalized with { UnansweredJson = late }));
        var read = await store.GetAsync(finalized.Id);
        Assert.Equal(finalized with { UnansweredJson = late }, read);
        Assert.Equal("2.0.0", Assert.Single(UnansweredUpdate.Decode(read!.UnansweredJson)).Version);
        Assert.True(await store.TryChangeUpdateAsync(null, finalized));
        Assert.Null((await store.GetAsync(finalized.Id))!.UnansweredJson);

        var member = new RolloutMember { Agbot = "o/a1", Workload = "w", Version = "2.0.0", AgreementId = "x", Batch = 1, OldVersion = "1.0.0", OldProposalJson = "{}", UpdatedAt = T0 };
        await store.SaveRolloutMemberAsync(member);
        var due = member with { Outcome = UpdateOutcome.RollingBack, RollbackAttempts = 2, RetryAt = T0.AddSeconds(10), UpdatedAt = T0.AddSeconds(1) };
        await store.SaveRolloutMemberAsync(due);
        Assert.Equal([due], await store.ListRolloutMembersAsync("o/a1", "w", "2.0.0"));
        await store.SaveRolloutMemberAsync(due with { Outcome = UpdateOutcome.RolledBack, RetryAt = null });
        Assert.Equal([due with { Outcome = UpdateOutcome.RolledBack, RetryAt = null }], await store.ListRolloutMembersAsync("o/a1", "w", "2.0.0"));
    }
}
