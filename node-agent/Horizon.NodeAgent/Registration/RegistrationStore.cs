using System.Text.Json;

namespace Horizon.NodeAgent.Registration;

/// <summary>
/// The node's registration, kept in <c>registration.json</c> (0600: it holds the token) under the
/// state folder so a restarted agent resumes without being registered again. Waiters learn of a
/// new registration through <see cref="WaitAsync"/>.
/// </summary>
public sealed class RegistrationStore
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private NodeRegistration? _current;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <exception cref="JsonException">The stored file is not a registration.</exception>
    public RegistrationStore(string stateDirectory)
    {
        _path = Path.Combine(stateDirectory, "registration.json");
        if (File.Exists(_path))
        {
            _current = JsonSerializer.Deserialize(File.ReadAllText(_path), RegistrationJsonContext.Default.NodeRegistration);
        }
    }

    /// <summary>The registration, or null when the node is not registered.</summary>
    public NodeRegistration? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Persists and publishes a registration; null removes it.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Set(NodeRegistration? registration)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (registration is null)
            {
                File.Delete(_path);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                var temporary = _path + ".tmp";
                File.WriteAllText(temporary, JsonSerializer.Serialize(registration, RegistrationJsonContext.Default.NodeRegistration));
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
                File.Move(temporary, _path, overwrite: true);
            }
            _current = registration;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>Completes when the registration next changes.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _changed.Task.WaitAsync(cancellationToken);
        }
    }
}
