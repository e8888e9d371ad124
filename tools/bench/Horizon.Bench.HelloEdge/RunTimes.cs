namespace Horizon.Bench.HelloEdge;

/// <summary>One registration's figures in milliseconds: the whole, and the steps it splits into.</summary>
/// <param name="Total">hzn register started → the engine runs both containers (seen by the 50 ms poll).</param>
/// <param name="Hzn">The hzn process, until the node agent had registered with the exchange.</param>
/// <param name="UntilAccepted">hzn register started → the node accepted the agbot's proposal (the hzn process, the registration,
/// the exchange's change notification, the agbot's evaluation, the proposal over the mailbox, the node's decision). Measured from
/// the start rather than from hzn's return: the proposal often arrives before the hzn process has exited.</param>
/// <param name="UntilStarting">Accepted → the agent starts the workload (reply to the agbot, its replyack back).</param>
/// <param name="UntilRunning">Starting → the agent logged every container running (images verified, network, create, start).</param>
internal sealed record RunTimes(double Total, double Hzn, double UntilAccepted, double UntilStarting, double UntilRunning);
