using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.NodeAgent.Tests.Support;

/// <summary>Tests that run workloads on the real engine, pulling from one authenticated registry. Serial: they share the engine.</summary>
[CollectionDefinition(Name)]
public sealed class EngineTests : ICollectionFixture<DockerFixture>, ICollectionFixture<RegistryFixture>
{
    public const string Name = "engine and registry";
}
