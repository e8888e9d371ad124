namespace Horizon.Bench.HelloEdge;

/// <summary>One registration's figures in milliseconds: the whole, and the steps it splits into.</summary>
/// <param name="Total">hzn register started → the engine runs both containers (seen by the 50 ms poll).</param>
/// <param name="Hzn">The hzn process, until the node agent had registered with the exchange.</param>
/// <param name="UntilAccepted">hzn returned → the node accepted the agbot's proposal (exchange notification, agbot evaluation, proposal over the mailbox, node decision).</param>
/// <param name="UntilStarting">Accepted → the agent starts the workload (reply to the agbot, its replyack back).</param>
/// <param name="UntilRunning">Starting → the agent logged every container running (images verified, network, create, start).</param>
internal sealed record RunTimes(double Total, double Hzn, double UntilAccepted, double UntilStarting, double UntilRunning);
