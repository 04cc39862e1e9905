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
    public double CheckAllTargets() => Check(_graph, estimate: false);

    [Benchmark]
    public double CheckAndEstimateAllTargets() => Check(_graph, estimate: true);

    /// <summary>As a CLI run meets it: the file freshly loaded, so nothing of the graph is warm in caches or old in the GC.</summary>
    [Benchmark]
    public double LoadAndCheckAllTargets() => LoadAndCheck(estimate: false);

    [Benchmark]
    public double LoadCheckAndEstimateAllTargets() => LoadAndCheck(estimate: true);

    private double LoadAndCheck(bool estimate)
    {
        using var g = NpuAdvisor.Formats.ModelLoader.Load(Path.Combine(SharedModelsDir(), Model));
        return Check(g, estimate);
    }

    private static double Check(Graph g, bool estimate)
    {
        double total = 0;
        foreach (var target in TargetRegistry.All)
        {
            var r = target.Analyze(g);
            total += r.Summary.NpuOps; // both sides do the same non-estimate work
            if (estimate) total += CostModel.For(target).Estimate(r).TotalMs;
        }
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
