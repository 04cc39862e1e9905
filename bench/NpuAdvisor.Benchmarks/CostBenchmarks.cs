using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using NpuAdvisor.Analysis.Cost;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Benchmarks;

/// <summary>
/// Check + estimate (with every finding's what-if) on all five targets for the largest shared models:
/// YOLOv5n 640 (most MACs and ops of the int8 models), the TF2 MobileNetV2 (largest TFLite file) and
/// PP-OCRv4 det (largest file; a float model, so ARTPEC-7/8/9 price a quantize fix on every op).
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 5, iterationCount: 15)]
[MemoryDiagnoser]
public class CostBenchmarks
{
    private Graph _graph = null!;

    [Params("tflite/axis/yolov5n_artpec8_coco_640.tflite", "tflite/coral/tf2_mobilenet_v2_1.0_224_ptq.tflite", "onnx/ppocr/ch_PP-OCRv4_det_infer.onnx")]
    public string Model { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _graph = NpuAdvisor.Formats.ModelLoader.Load(Path.Combine(SharedModelsDir(), Model));

    [GlobalCleanup]
    public void Cleanup() => _graph.Dispose();

    /// <summary>Placement and rules only: the baseline the estimate's cost is measured against.</summary>
    [Benchmark(Baseline = true)]
    public int CheckAllTargets()
    {
        var n = 0;
        foreach (var target in TargetRegistry.All)
            n += target.Analyze(_graph).Summary.NpuOps;
        return n;
    }

    [Benchmark]
    public double CheckAndEstimateAllTargets()
    {
        double total = 0;
        foreach (var target in TargetRegistry.All)
            total += CostModel.For(target).Estimate(target.Analyze(_graph)).TotalMs;
        return total;
    }

    /// <summary>As a CLI run meets it: the file freshly loaded, so nothing of the graph is warm in caches or old in the GC.</summary>
    [Benchmark]
    public int LoadAndCheckAllTargets()
    {
        using var g = NpuAdvisor.Formats.ModelLoader.Load(Path.Combine(SharedModelsDir(), Model));
        var n = 0;
        foreach (var target in TargetRegistry.All)
            n += target.Analyze(g).Summary.NpuOps;
        return n;
    }

    [Benchmark]
    public double LoadCheckAndEstimateAllTargets()
    {
        using var g = NpuAdvisor.Formats.ModelLoader.Load(Path.Combine(SharedModelsDir(), Model));
        double total = 0;
        foreach (var target in TargetRegistry.All)
            total += CostModel.For(target).Estimate(target.Analyze(g)).TotalMs;
        return total;
    }

    private static string SharedModelsDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NpuAdvisor.slnx")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "models"));
        throw new InvalidOperationException("repository root (NpuAdvisor.slnx) not found above " + AppContext.BaseDirectory);
    }
}
