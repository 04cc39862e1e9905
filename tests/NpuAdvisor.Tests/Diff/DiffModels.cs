using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Rewrite;

namespace NpuAdvisor.Tests.Diff;

/// <summary>Model files for the diff tests, written through the project's TFLite writer into a fresh temp folder.</summary>
internal sealed class DiffModels : IDisposable
{
    /// <summary>The sample's op that the regressed copy changes.</summary>
    public const string ChangedOp = "head/fc";

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), $"npu-advisor-diff-{Guid.NewGuid():N}");

    public DiffModels() => Directory.CreateDirectory(Dir);

    /// <summary>
    /// The sample with <see cref="ChangedOp"/> declaring SHUFFLED4x16INT8 weights: the same layer with the same shapes,
    /// in a weights format the vx-delegate (ARTPEC-8, CV25, AMLNN) and the Edge TPU compiler do not map.
    /// </summary>
    public string Regressed()
    {
        var g = SampleModel.Build();
        var op = g.Main.Operators.Single(o => o.Name == ChangedOp);
        op.Attributes = op.Attr<FullyConnectedAttributes>()! with { ShuffledWeights = true };
        return Write("sample_shuffled_fc.tflite", g);
    }

    public string Write(string name, Graph g) => WriteBytes(name, TfliteExporter.Write(g));

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }
}
