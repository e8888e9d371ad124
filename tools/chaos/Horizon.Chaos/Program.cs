// Fault harness: starts real Horizon processes on loopback, injects one fault at a time (SIGKILL,
// SIGSTOP, link cuts, a full disk) while writes go on, measures convergence and checks that nothing
// acknowledged was lost or stored twice. Exit code 0: every fault converged within 60 s with no
// violation; 1: a violation or a fault that did not converge; 2: bad options. See README.md.
using Horizon.Chaos;
using Horizon.Chaos.Reporting;

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(ChaosOptions.Usage);
    return 0;
}
ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (FormatException e)
{
    await Console.Error.WriteLineAsync("chaos: " + e.Message);
    await Console.Error.WriteLineAsync(ChaosOptions.Usage);
    return 2;
}
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    interrupt.Cancel();
});
Console.WriteLine("command: dotnet run --project tools/chaos/Horizon.Chaos -- " + string.Join(' ', args));
var report = new ChaosReport(Console.Out);
try
{
    await ChaosRunner.RunAsync(options, report, interrupt.Token);
}
catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("chaos: interrupted; everything it started is stopped");
    return 130;
}
report.PrintSummary();
return report.Passed ? 0 : 1;
