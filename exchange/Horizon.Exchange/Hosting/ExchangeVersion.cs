using System.Reflection;

namespace Horizon.Exchange.Hosting;

/// <summary>The exchange's version, as <c>/v1/admin/version</c> reports it.</summary>
public static class ExchangeVersion
{
    public static string Current { get; } =
        typeof(ExchangeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
