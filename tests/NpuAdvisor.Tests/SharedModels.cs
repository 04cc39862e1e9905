using System.Text.Json;

namespace NpuAdvisor.Tests;

/// <summary>Locates ../shared beside the repository (never copied into it) and its MANIFEST.json.</summary>
public static class SharedModels
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Dir { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "models"));

    public static string PathOf(string relative) => Path.Combine(Dir, relative);

    private static readonly Lazy<JsonDocument> ManifestDoc = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Dir, "MANIFEST.json"))));

    public static JsonElement Manifest => ManifestDoc.Value.RootElement;

    /// <summary>Manifest entries (path relative to shared/models) of one format: "tflite" or "onnx".</summary>
    public static IEnumerable<JsonElement> Entries(string format) =>
        Manifest.GetProperty("models").EnumerateArray().Where(e => e.GetProperty("format").GetString() == format);

    public static IEnumerable<object[]> Paths(string format) => Entries(format).Select(e => new object[] { e.GetProperty("path").GetString()! });

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NpuAdvisor.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root (NpuAdvisor.slnx) not found above " + AppContext.BaseDirectory);
    }
}
