using Horizon.NodeAgent.Engine.Docker;
using Microsoft.Extensions.Logging.Abstractions;

namespace Horizon.NodeAgent.Tests.Support;

/// <summary>The agent's own engine adapter on the engine tools/setup.sh started, for tests to look with.</summary>
internal static class TestEngine
{
    public static DockerContainerEngine Create() => new(DockerEngineOptions.Default, NullLogger<DockerContainerEngine>.Instance);
}
