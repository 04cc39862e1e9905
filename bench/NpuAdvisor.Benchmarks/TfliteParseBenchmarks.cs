using BenchmarkDotNet.Attributes;
using NpuAdvisor.Formats.Tflite;

namespace NpuAdvisor.Benchmarks;

/// <summary>
/// Parse + IR build of shared TFLite models: from bytes already in memory, and from the file through
/// the memory map (open, map, parse, unmap). The shared corpus sits in ../shared/models beside the repository.
/// </summary>
[MemoryDiagnoser]
public class TfliteParseBenchmarks
{
    [Params(
        "coral/mobilenet_v1_0.25_128_quant.tflite",
        "axis/yolov5n_artpec8_coco_640.tflite",
        "coral/tf2_mobilenet_v2_1.0_224_ptq.tflite")]
    public string Model { get; set; } = "";

    private string _path = "";
    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(SharedModelsDir(), "tflite", Model);
        _bytes = File.ReadAllBytes(_path);
    }

    [Benchmark]
    public int ParseBytes()
    {
        using var g = TfliteImporter.Load(_bytes, _path);
        return g.Main.Operators.Count;
    }

    [Benchmark]
    public int ParseMappedFile()
    {
        using var g = TfliteImporter.Load(_path);
        return g.Main.Operators.Count;
    }

    private static string SharedModelsDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NpuAdvisor.slnx")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "models"));
        throw new InvalidOperationException("repository root (NpuAdvisor.slnx) not found above " + AppContext.BaseDirectory);
    }
}
