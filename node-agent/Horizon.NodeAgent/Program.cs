using Horizon.Hosting.Settings;
using Horizon.NodeAgent.Enrollment;
using Horizon.NodeAgent.Hosting;

return await ServiceMain.RunAsync(async () =>
{
    // An enrolling device is enrolled first (it learns its node id from the approval); others start at once.
    if (await AgentEnrollment.RunAsync(args))
    {
        await NodeAgentApplication.Build(args).RunAsync();
    }
});
