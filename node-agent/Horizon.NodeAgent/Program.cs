using Horizon.NodeAgent.Hosting;

try
{
    await NodeAgentApplication.Build(args).RunAsync();
    return 0;
}
catch (InvalidOperationException e) when (e.Message.StartsWith("The node agent's settings", StringComparison.Ordinal))
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
