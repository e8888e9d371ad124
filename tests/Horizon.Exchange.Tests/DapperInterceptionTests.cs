using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Horizon.Exchange.Storage;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// The exchange ships as a NativeAOT executable, where Dapper's own code (Reflection.Emit) cannot run: every Dapper
/// call of the exchange must be replaced at build time by Dapper.AOT's generated code. A call Dapper.AOT does not
/// intercept (a <c>CommandDefinition</c>, <c>DynamicParameters</c>, <c>AsList()</c>, a shape it does not support)
/// compiles, passes every test on the JIT and only fails the native publish. Dapper.AOT's analyzer reports some of
/// these as information, not as a warning, and some not at all (docs/benchmarks.md §7), so this reads the compiled
/// exchange instead: an intercepted call leaves no reference to the Dapper assembly behind, a missed one does.
/// </summary>
public sealed class DapperInterceptionTests
{
    [Fact]
    public void ExchangeAssembly_ReferencesNothingOfDappersReflectionMapper()
    {
        var path = typeof(SqliteStorageProvider).Assembly.Location;
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var dapper = metadata.AssemblyReferences
            .Where(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name) == "Dapper")
            .Select(handle => (EntityHandle)handle)
            .ToHashSet();

        var used = metadata.TypeReferences
            .Select(metadata.GetTypeReference)
            .Where(type => dapper.Contains(type.ResolutionScope))
            .Select(type => $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(used.Count == 0,
            $"{Path.GetFileName(path)} uses {string.Join(", ", used)} from Dapper itself: a Dapper call that Dapper.AOT did not " +
            "intercept, which fails the NativeAOT publish (tools/publish-servers.sh). Write it in a shape Dapper.AOT handles " +
            "(a parameter object, no CommandDefinition or DynamicParameters, ToList() rather than AsList()) or against DbCommand.");
    }
}
