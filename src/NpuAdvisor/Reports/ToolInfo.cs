using System.Reflection;

namespace NpuAdvisor.Reports;

public static class ToolInfo
{
    public const string Name = "npu-advisor";

    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
