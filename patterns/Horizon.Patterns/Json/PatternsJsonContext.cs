using System.Text.Json.Serialization;
using Horizon.Patterns.Deployment;
using Horizon.Patterns.Model;

namespace Horizon.Patterns.Json;

/// <summary>
/// Source-generated JSON metadata for every deployment-model type. Unknown fields are rejected so a
/// typo in a publisher's file is reported rather than silently ignored; <c>//</c> and <c>/* */</c>
/// comments and trailing commas are accepted because Open Horizon's files use them.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ServiceDefinition))]
[JsonSerializable(typeof(Pattern))]
[JsonSerializable(typeof(DeploymentPolicy))]
[JsonSerializable(typeof(NodePolicy))]
[JsonSerializable(typeof(ServicePolicy))]
[JsonSerializable(typeof(Property))]
[JsonSerializable(typeof(IReadOnlyList<Property>))]
[JsonSerializable(typeof(List<Property>))]
[JsonSerializable(typeof(IReadOnlyList<ServiceUserInput>))]
[JsonSerializable(typeof(List<ServiceUserInput>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(UserInputValue))]
[JsonSerializable(typeof(DeploymentDescription))]
public sealed partial class PatternsJsonContext : JsonSerializerContext;
