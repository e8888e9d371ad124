// Fleet simulator: N simulated node agents (the node agent's own code, with a recording container
// runtime) against a real exchange, nats-server and agbot. See README.md.
using Horizon.FleetSim.Components;
using Horizon.FleetSim.Fleet;
using Horizon.FleetSim.Options;

if (args is [ShardArguments.Marker, var plan])
{
    return await ShardHost.RunAsync(plan);
}
if (args is [ExchangeHost.Marker, .. var exchangeArguments])
{
    return await ExchangeHost.RunAsync(exchangeArguments);
}
if (args is [ComponentHost.AgbotMarker or ComponentHost.SwitchboardMarker])
{
    return await ComponentHost.RunAsync(args[0]);
}
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(FleetOptionsParser.Usage);
    return 0;
}
FleetOptions options;
try
{
    options = FleetOptionsParser.Parse(args);
}
catch (FleetOptionsException e)
{
    foreach (var problem in e.Problems)
    {
        await Console.Error.WriteLineAsync("fleet-sim: " + problem);
    }
    await Console.Error.WriteLineAsync(FleetOptionsParser.Usage);
    return 2;
}
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};
// SIGTERM (kill, a CI timeout) ends the run the same way, so nats-server and the child processes are stopped too.
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    interrupt.Cancel();
});
Console.WriteLine("command: dotnet run -c Release --project tools/Horizon.FleetSim -- " + string.Join(' ', args));
if (options.Enroll)
{
    try
    {
        var enrollment = await Horizon.FleetSim.Enrollment.EnrollmentRun.RunAsync(options, Console.Out, interrupt.Token);
        enrollment.Print(Console.Out);
        return 0;
    }
    catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
    {
        await Console.Error.WriteLineAsync("fleet-sim: interrupted; everything it started is stopped");
        return 130;
    }
}
FleetReport report;
try
{
    report = await FleetSimulator.RunAsync(options, Console.Out, interrupt.Token);
}
catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("fleet-sim: interrupted; everything it started is stopped");
    return 130;
}
report.Print(Console.Out);
return report.Settled && report.RejectingWithWorkload == 0 && report.Violations.Count == 0 && report.Rollout is null or { Complete: true } ? 0 : 1;

