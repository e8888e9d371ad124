using Horizon.NodeAgent.Systemd;
using Horizon.Testing;
using Xunit;

namespace Horizon.NodeAgent.Tests.Systemd;

public sealed class SystemdNotifierTests
{
    [Fact]
    public async Task Notify_SendsTheStateAsOneDatagram_ToTheNamedSocket()
    {
        using var directory = new TempDirectory("hzn-notify");
        using var socket = new NotifySocket(directory.Combine("notify.sock"));
        using var notifier = new SystemdNotifier(socket.Path);

        Assert.True(notifier.Notify("READY=1"));
        Assert.True(notifier.Notify("STATUS=running 2 agreements"));

        Assert.Equal("READY=1", await socket.ReceiveAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("STATUS=running 2 agreements", await socket.ReceiveAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Notify_WithoutASocket_IsDisabled_AndReportsFalse()
    {
        using var notifier = new SystemdNotifier(null);
        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.Notify("READY=1"));
    }

    [Fact]
    public void Notify_ToASocketNobodyListensOn_ReportsFalse_InsteadOfThrowing()
    {
        using var directory = new TempDirectory("hzn-notify");
        using var notifier = new SystemdNotifier(directory.Combine("gone.sock"));
        Assert.False(notifier.Notify("READY=1"));
    }
}
