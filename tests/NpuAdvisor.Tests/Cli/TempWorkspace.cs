namespace NpuAdvisor.Tests.Cli;

/// <summary>A temporary folder for CLI tests that need files beside a model (configs, baselines); deleted on dispose.</summary>
public sealed class TempWorkspace : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("npu-advisor-ws").FullName;

    public string this[string relative] => Path.Combine(Root, relative);

    /// <summary>Writes a file (creating its folders) and returns its full path.</summary>
    public string Write(string relative, string text)
    {
        var path = this[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string Write(string relative, byte[] bytes)
    {
        var path = this[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string CopySample(string relative) => Write(relative, File.ReadAllBytes(CliRunner.Sample));

    public void Dispose() => Directory.Delete(Root, true);
}
