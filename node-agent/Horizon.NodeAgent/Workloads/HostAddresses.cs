using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Horizon.NodeAgent.Workloads;

/// <summary>
/// The machine's IPv4 addresses on interfaces that are up, as Open Horizon gives them to workloads in
/// <c>HZN_HOST_IPS</c> (comma-separated). Loopback counts: Linux reports its state as unknown, not up.
/// </summary>
public static class HostAddresses
{
    public static string IPv4List()
    {
        try
        {
            var addresses = NetworkInterface.GetAllNetworkInterfaces()
                .Where(i => i.OperationalStatus == OperationalStatus.Up || i.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
                .Select(a => a.Address.ToString())
                .Distinct(StringComparer.Ordinal);
            return string.Join(',', addresses);
        }
        catch (NetworkInformationException)
        {
            // Workloads get an empty list rather than no container at all.
            return "";
        }
    }
}
