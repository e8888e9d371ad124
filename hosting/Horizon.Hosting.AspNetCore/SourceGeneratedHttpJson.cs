using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Horizon.Hosting.AspNetCore;

/// <summary>
/// Minimal-API JSON from source-generated contexts only. Published natively, a deployable has no
/// reflection-based JSON, but a host built from its code under the JIT (a test's in-process server) would fall
/// back to reflection and hide a response type missing from the contexts: the exchange answered its lists with
/// 500 as a process while every in-process test passed. So no host of a deployable gets that fallback.
/// </summary>
public static class SourceGeneratedHttpJson
{
    /// <summary>Puts <paramref name="contexts"/> first in the HTTP JSON resolver chain and removes reflection from it.</summary>
    public static IServiceCollection AddSourceGeneratedHttpJson(this IServiceCollection services, params IJsonTypeInfoResolver[] contexts)
    {
        services.ConfigureHttpJsonOptions(json =>
        {
            for (var i = 0; i < contexts.Length; i++)
            {
                json.SerializerOptions.TypeInfoResolverChain.Insert(i, contexts[i]);
            }
        });
        services.PostConfigure<JsonOptions>(json => RemoveReflection(json.SerializerOptions.TypeInfoResolverChain));
        return services;
    }

    private static void RemoveReflection(IList<IJsonTypeInfoResolver> chain)
    {
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            if (chain[i] is DefaultJsonTypeInfoResolver)
            {
                chain.RemoveAt(i);
            }
        }
    }
}
