using Horizon.Hosting.Settings;
using Horizon.NodeAgent.Hosting;

return await ServiceMain.RunAsync(() => NodeAgentApplication.Build(args).RunAsync());
