using FluentAssertions;
using NpuAdvisor.Analysis.Cost;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using Xunit;
using static NpuAdvisor.Analysis.Cost.ReferenceGraphs;
using static NpuAdvisor.Tests.Cost.CostTestGraphs;

namespace NpuAdvisor.Tests.Cost;

/// <summary>The built detector graphs against the shared file and calibration.md's YOLOv5 family table.</summary>
public sealed class ReferenceDetectorTests
{
    private const string YoloN = "tflite/axis/yolov5n_artpec8_coco_640.tflite";

    [Fact]
    public void YOLOv5n_in_the_ARTPEC_8_layout_is_the_shared_file_op_for_op()
    {
        using var file = TfliteImporter.Load(Path.Combine(SharedModels.Dir, YoloN));
        using var built = YoloV5(YoloSize.N);
        built.Main.Operators.Select(o => o.Kind).Should().Equal(file.Main.Operators.Select(o => o.Kind));
        built.AllOperators.Sum(o => o.Macs(built.Layout)).Should().Be(file.AllOperators.Sum(o => o.Macs(file.Layout)));
        built.Main.Operators.Select(o => o.Output(0)!.Shape.Dims.ToArray()).Should().BeEquivalentTo(
            file.Main.Operators.Select(o => o.Output(0)!.Shape.Dims.ToArray()), o => o.WithStrictOrdering());
        // The shared file and its built twin estimate alike on every target.
        foreach (var id in TargetIds)
        {
            var a = CostModel.Load(id).Run(TargetOf(id).Analyze(file), CostPlan.Baseline).TotalMs;
            var b = CostModel.Load(id).Run(TargetOf(id).Analyze(built), CostPlan.Baseline).TotalMs;
            b.Should().BeApproximately(a, 0.02 * a, id);
        }
    }

    [Fact]
    public void YOLOv5_s_and_m_follow_the_recipe()
    {
        using var n = YoloV5(YoloSize.N);
        using var s = YoloV5(YoloSize.S);
        using var m = YoloV5(YoloSize.M);
        double Macs(Graph g) => g.AllOperators.Sum(o => o.Macs(g.Layout));
        // Doubling every hidden width about quadruples the MACs; m (3× width, 2× repeats) is about 3× s (calibration.md).
        (Macs(s) / Macs(n)).Should().BeInRange(3.4, 4.0);
        (Macs(m) / Macs(s)).Should().BeInRange(2.6, 3.4);
        s.Main.Outputs.Single().Shape.Dims.Should().Equal(n.Main.Outputs.Single().Shape.Dims);
        using var reference = YoloV5(YoloSize.S, YoloLayout.Reference);
        (Macs(reference) / Macs(s)).Should().BeInRange(0.75, 1.1, "the public definition's widths are close to the ARTPEC-8 rounding");
    }

    [Theory]
    [InlineData("artpec8", YoloLayout.Artpec8, 95.65 / 69.97)]
    [InlineData("artpec9", YoloLayout.Reference, 42.70 / 35.00)]
    public void YOLOv5_s_to_m_growth_is_the_published_ratio_within_15_percent(string id, YoloLayout layout, double published)
    {
        // calibration.md: the MACs grow ~3× from s to m, the time only 1.4× (ARTPEC-8) and 1.2× (ARTPEC-9).
        double Total(YoloSize size) => CostModel.Load(id).Run(TargetOf(id).Analyze(YoloV5(size, layout)), CostPlan.Baseline).TotalMs;
        var growth = Total(YoloSize.M) / Total(YoloSize.S);
        growth.Should().BeInRange(published * 0.85, published * 1.15, $"{id}: s→m {growth:F3} vs published {published:F3}");
    }

    [Fact]
    public void The_detection_post_process_is_priced_from_its_options_on_the_CPU()
    {
        using var g = SsdMobileNetV1();
        var op = g.Main.Operators.Single(o => o.Kind == OpKind.Custom);
        var options = DetectionPostProcess.Read(op)!;
        options.Anchors.Should().Be(1917, "19²·3 + (10² + 5² + 3² + 2² + 1)·6 anchors at 300×300");
        options.NumClasses.Should().Be(90);
        options.MaxDetections.Should().Be(10);
        options.UseRegularNms.Should().BeFalse();
        var regular = options with { UseRegularNms = true };
        regular.WorkUnits.Should().BeGreaterThan(options.WorkUnits, "regular NMS runs a pass per class");
        (options with { NumClasses = 1 }).WorkUnits.Should().BeLessThan(options.WorkUnits);

        foreach (var id in TargetIds)
        {
            var r = TargetOf(id).Analyze(g);
            var e = CostModel.Load(id).Run(r, CostPlan.Baseline);
            var pp = e.Ops.Single(o => o.Op.Op == op);
            pp.Bound.Should().Be(CostBound.Cpu, $"{id}: custom ops run on the CPU");
            pp.Ms.Should().BeApproximately(options.WorkUnits * CostModel.Load(id).Parameters.CpuPostProcessNs * 1e-6, 1e-9);
        }
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 36, 1 })]
    [InlineData(new byte[] { 255, 255, 255, 255, 255, 255, 255, 127, 36, 8 })]
    public void Malformed_custom_options_read_as_absent(byte[] bytes)
    {
        FlexMap.TryRead(bytes).Should().BeNull();
    }

    [Fact]
    public void Custom_options_round_trip()
    {
        var map = FlexMap.TryRead(FlexMap.Write([("num_classes", 90), ("max_detections", 100), ("use_regular_nms", 1)]))!;
        map.TryGetLong("num_classes", out var classes).Should().BeTrue();
        classes.Should().Be(90);
        map.TryGetLong("max_detections", out var detections).Should().BeTrue();
        detections.Should().Be(100);
        map.TryGetLong("use_regular_nms", out var regular).Should().BeTrue();
        regular.Should().Be(1);
        map.TryGetLong("missing", out _).Should().BeFalse();
    }
}
