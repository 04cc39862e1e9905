using NpuAdvisor.Config;

namespace NpuAdvisor.Cli;

/// <summary>
/// The config of each model of a run: the --config file for all, or else the nearest npu-advisor.json above each model.
/// Each file is read once, so models that share a config share its suppressions (and their stale check).
/// </summary>
internal sealed class ConfigFiles(string? given)
{
    private readonly Dictionary<string, AdvisorConfig> _read = new(StringComparer.Ordinal);

    public AdvisorConfig? For(string model)
    {
        var path = given ?? ConfigDiscovery.Find(model);
        if (path is null) return null;
        var full = Path.GetFullPath(path);
        if (!_read.TryGetValue(full, out var config))
            _read[full] = config = ConfigReader.Read(given ?? Shown(full));
        return config;
    }

    /// <summary>A discovered file relative to the current folder when it lies below it, as a report or SARIF viewer can link it.</summary>
    private static string Shown(string full)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
    }
}
