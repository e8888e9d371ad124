using Docker.DotNet;
using Docker.DotNet.Models;
using Horizon.Docker;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Engine.Docker;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Workloads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Horizon.NodeAgent.Api;

/// <summary>
/// <c>GET /services/{url}/log</c>: the container log of a service this agent runs, for
/// <c>hzn service log &lt;service&gt; [-f]</c>. Query: <c>org</c>, <c>version</c>, <c>container</c> narrow
/// the choice when several match, <c>tail</c> (default 200) the lines already written,
/// <c>follow=true</c> keeps the response open for new lines until the container stops or the
/// caller leaves. Only containers carrying the agent's labels are ever read.
/// </summary>
/// <remarks>
/// Kept apart from <see cref="LocalApi"/> and read through its own Docker client: the engine port
/// (<see cref="IContainerEngine"/>) has no streaming call and the fleet simulator has no logs.
/// </remarks>
public static class ServiceLogApi
{
    public static IEndpointRouteBuilder MapServiceLogApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/services/{url}/log", WriteLogAsync);
        return routes;
    }

    private static async Task<IResult> WriteLogAsync(string url, string? org, string? version, string? container, int? tail, bool? follow,
        HttpContext http, IContainerEngine engine, NodeAgentOptions options, CancellationToken cancellationToken)
    {
        // A url with '/' arrives with its %2F still escaped: routing never splits it into segments.
        url = Uri.UnescapeDataString(url);
        List<string> filters = [WorkloadLabels.ManagedFilter, $"{WorkloadLabels.ServiceUrl}={url}"];
        if (org is not null)
        {
            filters.Add($"{WorkloadLabels.ServiceOrg}={org}");
        }
        if (version is not null)
        {
            filters.Add($"{WorkloadLabels.ServiceVersion}={version}");
        }
        var found = (await engine.ListContainersAsync(filters, cancellationToken))
            .Where(c => container is null || c.Labels.GetValueOrDefault(WorkloadLabels.ContainerName) == container || c.Name == container)
            .ToList();
        var described = $"service {(org is null ? "" : org + "/")}{url}{(version is null ? "" : " " + version)}{(container is null ? "" : $" (container {container})")}";
        if (found.Count == 0)
        {
            return TypedResults.Problem($"no {described} runs on this node; 'hzn service list' shows what does", statusCode: StatusCodes.Status404NotFound);
        }
        if (found.Select(c => c.Labels.GetValueOrDefault(WorkloadLabels.ContainerName) ?? c.Name).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            var names = string.Join(", ", found.Select(c => c.Labels.GetValueOrDefault(WorkloadLabels.ContainerName) ?? c.Name).Distinct(StringComparer.Ordinal));
            return TypedResults.Problem($"the {described} has several containers ({names}); name one with --container", statusCode: StatusCodes.Status409Conflict);
        }
        // Several instances of one container (an upgrade in progress): the running one, else the newest listed.
        var chosen = found.FirstOrDefault(c => c.Running) ?? found[0];
        var endpoint = string.IsNullOrWhiteSpace(options.DockerEndpoint) ? DockerEngineOptions.Default.Endpoint : DockerEndpoint.Parse(options.DockerEndpoint);
        using var docker = DockerClients.Create(endpoint, TimeSpan.FromSeconds(30));
        MultiplexedStream stream;
        try
        {
            stream = await docker.Containers.GetContainerLogsAsync(chosen.Id, new ContainerLogsParameters
            {
                ShowStdout = true,
                ShowStderr = true,
                Follow = follow == true,
                Tail = (tail is > 0 ? tail.Value : 200).ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            return TypedResults.Problem($"the container of {described} is gone; try again", statusCode: StatusCodes.Status404NotFound);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException)
        {
            return TypedResults.Problem($"the Docker engine did not give the log: {e.Message}", statusCode: StatusCodes.Status502BadGateway);
        }
        using (stream)
        {
            http.Response.ContentType = "text/plain; charset=utf-8";
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
                    if (read.EOF)
                    {
                        break;
                    }
                    await http.Response.Body.WriteAsync(buffer.AsMemory(0, read.Count), cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The caller left (Ctrl-C on 'hzn service log -f').
            }
        }
        return TypedResults.Empty;
    }
}
