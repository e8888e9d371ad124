namespace Horizon.NodeAgent.Engine;

/// <summary>The container engine failed a call. Subtypes say how, where the agent acts differently.</summary>
public class EngineException : Exception
{
    public EngineException()
    {
    }

    public EngineException(string message)
        : base(message)
    {
    }

    public EngineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>No such container, network, image, repository, tag or manifest.</summary>
public sealed class EngineNotFoundException : EngineException
{
    public EngineNotFoundException()
    {
    }

    public EngineNotFoundException(string message)
        : base(message)
    {
    }

    public EngineNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A name in use, or an object not in a state for the call (attached, running, being removed).</summary>
public sealed class EngineConflictException : EngineException
{
    public EngineConflictException()
    {
    }

    public EngineConflictException(string message)
        : base(message)
    {
    }

    public EngineConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A registry refused the pull's credentials, or wants some.</summary>
public sealed class EngineAuthenticationException : EngineException
{
    public EngineAuthenticationException()
    {
    }

    public EngineAuthenticationException(string message)
        : base(message)
    {
    }

    public EngineAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The engine cannot be reached, dropped the connection, or did not answer in time.</summary>
public sealed class EngineUnavailableException : EngineException
{
    public EngineUnavailableException()
    {
    }

    public EngineUnavailableException(string message)
        : base(message)
    {
    }

    public EngineUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
