using Horizon.Cli;

return await HznApp.RunAsync(args, HznEnvironment.FromProcess());
