using Horizon.Patterns.Deployment;
using Horizon.Patterns.Model;

namespace Horizon.Patterns.Files;

/// <summary>
/// A <c>service.definition.json</c> as read. When the file gave <c>deployment</c> as an object,
/// <see cref="DeploymentToSign"/> holds it: the CLI pins its images, serializes it into the
/// definition's <c>deployment</c> string and signs that string. When it gave an already signed
/// string, <see cref="DeploymentToSign"/> is <see langword="null"/> and the string is used as is.
/// </summary>
public sealed record ServiceDefinitionFile(ServiceDefinition Definition, DeploymentDescription? DeploymentToSign);
