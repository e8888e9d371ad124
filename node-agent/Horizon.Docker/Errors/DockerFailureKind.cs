namespace Horizon.Docker;

/// <summary>What an engine error means for the caller.</summary>
public enum DockerFailureKind
{
    /// <summary>Anything else the engine failed.</summary>
    Other,

    /// <summary>No such container, image, network, repository, tag or manifest.</summary>
    NotFound,

    /// <summary>Name in use, or the object is not in a state for the call (running, attached, being removed).</summary>
    Conflict,

    /// <summary>The registry refused the credentials, or wants some.</summary>
    RegistryAuthentication,
}
