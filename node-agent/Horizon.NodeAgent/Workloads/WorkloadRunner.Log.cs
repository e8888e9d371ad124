namespace Horizon.NodeAgent.Workloads;

public sealed partial class WorkloadRunner
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 9110, Level = LogLevel.Information, Message = "Agreement {AgreementId}: started {Container} from {Image}")]
        public static partial void ContainerStarted(ILogger logger, string agreementId, string container, string image);

        [LoggerMessage(EventId = 9111, Level = LogLevel.Information, Message = "Agreement {AgreementId}: adopted running container {Container}")]
        public static partial void ContainerAdopted(ILogger logger, string agreementId, string container);

        [LoggerMessage(EventId = 9112, Level = LogLevel.Information, Message = "Agreement {AgreementId}: network {Network} still has other containers attached and stays")]
        public static partial void NetworkKept(ILogger logger, string agreementId, string network);
    }
}
