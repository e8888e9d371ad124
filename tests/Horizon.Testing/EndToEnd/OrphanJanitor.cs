using System.Globalization;
using Horizon.Testing.Processes;

namespace Horizon.Testing.EndToEnd;

/// <summary>
/// A small shell process in a session of its own that waits for the test process to die. When the
/// test host is killed (an aborted <c>dotnet test</c>, a hang timeout) before the fixtures could
/// dispose, it kills the processes they recorded and removes the containers and networks of the
/// orgs and the image tags under the prefixes they recorded, so no server keeps a port and no
/// workload keeps running. A normal dispose stops the janitor first, and it then does nothing.
/// </summary>
public sealed class OrphanJanitor : IAsyncDisposable
{
    private const string Script = """
        parent=$1; pids=$2; orgs=$3; pidfiles=$4; label=$5; prefixes=$6
        while kill -0 "$parent" 2>/dev/null; do sleep 2; done
        for file in $(cat "$pidfiles" 2>/dev/null); do cat "$file" 2>/dev/null >>"$pids"; echo >>"$pids"; done
        for pid in $(cat "$pids" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
        for org in $(cat "$orgs" 2>/dev/null); do
          containers=$(docker ps -aq --filter "label=$label=$org")
          [ -n "$containers" ] && docker rm -f -v $containers >/dev/null 2>&1
          networks=$(docker network ls -q --filter "label=$label=$org")
          [ -n "$networks" ] && docker network rm $networks >/dev/null 2>&1
        done
        for prefix in $(cat "$prefixes" 2>/dev/null); do
          images=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep -F "$prefix" | grep -v ':<none>$')
          [ -n "$images" ] && docker rmi $images >/dev/null 2>&1
        done
        rm -f "$pids" "$orgs" "$pidfiles" "$prefixes"
        """;

    private readonly string _pids;
    private readonly string _orgs;
    private readonly string _pidFiles;
    private readonly string _imagePrefixes;
    private readonly OwnedProcess _process;
    private readonly Lock _gate = new();

    /// <param name="directory">Where the janitor keeps its lists; not inside a folder a fixture deletes early.</param>
    public OrphanJanitor(string directory)
    {
        var setsid = Prerequisites.RequireExecutable("setsid (util-linux)", "/usr/bin/setsid", "setsid");
        _pids = Path.Combine(directory, "janitor.pids");
        _orgs = Path.Combine(directory, "janitor.orgs");
        _pidFiles = Path.Combine(directory, "janitor.pidfiles");
        _imagePrefixes = Path.Combine(directory, "janitor.images");
        _process = OwnedProcess.Start(setsid, ["sh", "-c", Script, "janitor",
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture), _pids, _orgs, _pidFiles, EdgeSite.ServiceOrgLabel, _imagePrefixes], "orphan janitor");
    }

    /// <summary>Records a process to kill should the test process die first.</summary>
    public void WatchProcess(int processId) => Append(_pids, processId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Records a pid file (e.g. nats-server's) whose process to kill should the test process die first.</summary>
    public void WatchPidFile(string path) => Append(_pidFiles, path);

    /// <summary>Records an org whose workload containers and networks to remove should the test process die first.</summary>
    public void WatchOrg(string org) => Append(_orgs, org);

    /// <summary>Records an image name prefix (e.g. a test registry's <c>127.0.0.1:port/</c>) whose local tags to remove should the test process die first.</summary>
    public void WatchImagePrefix(string prefix) => Append(_imagePrefixes, prefix);

    private void Append(string file, string line)
    {
        lock (_gate)
        {
            File.AppendAllText(file, line + "\n");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        foreach (var file in new[] { _pids, _orgs, _pidFiles, _imagePrefixes })
        {
            File.Delete(file);
        }
    }
}
