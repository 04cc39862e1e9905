namespace NpuAdvisor.Config;

/// <summary>Finds the npu-advisor.json that governs a model: in its folder or the nearest parent folder that has one.</summary>
public static class ConfigDiscovery
{
    public static string? Find(string modelPath)
    {
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(modelPath)); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, AdvisorConfig.FileName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
