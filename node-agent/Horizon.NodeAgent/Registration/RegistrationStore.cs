using System.Text.Json;

namespace Horizon.NodeAgent.Registration;

/// <summary>
/// The node's registration, kept in <c>registration.json</c> (0600: it holds the token) under the
/// state folder so a restarted agent resumes without being registered again. Read once by
/// <see cref="LoadAsync"/> at start (the host's first step, with the database's migration); waiters
/// learn of a new registration through <see cref="WaitAsync"/>.
/// </summary>
public sealed class RegistrationStore : IDisposable
{
    private readonly string _path;
    private readonly Lock _gate = new();
    // Writers one at a time, so the file and _current change in the same order.
    private readonly SemaphoreSlim _writer = new(1, 1);
    private bool _loaded;
    private NodeRegistration? _current;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RegistrationStore(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        _path = Path.Combine(stateDirectory, "registration.json");
    }

    /// <summary>Reads the stored registration, if any. Call it once at start, before <see cref="Current"/> is read.</summary>
    /// <exception cref="JsonException">The stored file is not a registration.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        NodeRegistration? stored = null;
        if (File.Exists(_path))
        {
            await using var file = File.OpenRead(_path);
            stored = await JsonSerializer.DeserializeAsync(file, RegistrationJsonContext.Default.NodeRegistration, cancellationToken);
        }
        lock (_gate)
        {
            _current = stored;
            _loaded = true;
        }
    }

    /// <summary>The registration, or null when the node is not registered.</summary>
    /// <exception cref="InvalidOperationException"><see cref="LoadAsync"/> has not run.</exception>
    public NodeRegistration? Current
    {
        get
        {
            lock (_gate)
            {
                return _loaded ? _current : throw new InvalidOperationException($"{_path} is read before RegistrationStore.LoadAsync ran");
            }
        }
    }

    /// <summary>Persists and publishes a registration; null removes it.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the file was replaced; the old registration stands.</exception>
    public async Task SetAsync(NodeRegistration? registration, CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            if (registration is null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                File.Delete(_path);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                var temporary = _path + ".tmp";
                // Created 0600 before a byte of the token is in it (a file left by an earlier run would keep its mode).
                File.Delete(temporary);
                var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                await using (var file = new FileStream(temporary, options))
                {
                    await JsonSerializer.SerializeAsync(file, registration, RegistrationJsonContext.Default.NodeRegistration, cancellationToken);
                }
                cancellationToken.ThrowIfCancellationRequested();
                File.Move(temporary, _path, overwrite: true);
            }
            TaskCompletionSource changed;
            lock (_gate)
            {
                _current = registration;
                _loaded = true;
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            changed.TrySetResult();
        }
        finally
        {
            _writer.Release();
        }
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>Completes when the registration next changes.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _changed.Task.WaitAsync(cancellationToken);
        }
    }
}
