using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;
using Xunit.Abstractions;
using static NpuAdvisor.Tests.Targets.ResultQueries;

namespace NpuAdvisor.Tests.Targets;

/// <summary>ARTPEC-8, AMLNN and CV25 on the shared real models (read through the TFLite importer).</summary>
public class Artpec8AmlnnCv25RealModelTests(ITestOutputHelper output)
{
    private const string Yolo = "tflite/axis/yolov5n_artpec8_coco_640.tflite";
    private const string Tf2MobileNet = "tflite/coral/tf2_mobilenet_v2_1.0_224_ptq.tflite";
    private const string SparseFace = "tflite/mediapipe/face_detection_full_range_sparse.tflite";

    private static readonly Target[] Targets = [new Artpec8Target(), new AmlnnTarget(), new Cv25Target()];

    public static IEnumerable<object[]> TfliteModels => SharedModels.Paths("tflite");

    private static Graph Load(string relative) => TfliteImporter.Load(SharedModels.PathOf(relative));

    private static JsonElement Facts(string relative) =>
        SharedModels.Entries("tflite").Single(e => e.GetProperty("path").GetString() == relative).GetProperty("facts");

    private static int Histogram(string relative, string op) =>
        Facts(relative).GetProperty("op_histogram_total").TryGetProperty(op, out var n) ? n.GetInt32() : 0;

    [Theory]
    [MemberData(nameof(TfliteModels))]
    public void Every_shared_model_analyses_on_all_three_targets(string relative)
    {
        using var g = Load(relative);
        foreach (var target in Targets)
        {
            var r = target.Analyze(g);
            r.Ops.Should().HaveCount(Facts(relative).GetProperty("operator_count_total").GetInt32());
            r.AllFindings.Should().NotContain(f => !target.Rules.Contains(f.Rule), $"{target.Id} lists every rule it reports");
            r.Ops.Should().NotContain(o => o.Placement == Placement.Cpu && o.CpuReason == null);
            output.WriteLine($"{relative} {target.Id}: {r.Summary.NpuOps}/{r.Summary.Ops} on NPU, {r.Segments.Count} segments, " +
                string.Join(", ", r.AllFindings.GroupBy(f => f.Rule.Id).Select(x => $"{x.Key}×{x.Count()}")));
        }
    }

    [Fact]
    public void Yolov5n_built_for_artpec8_loads_and_runs_on_the_dlpu()
    {
        using var g = Load(Yolo);
        var r = new Artpec8Target().Analyze(g);

        r.Ops.Should().OnlyContain(o => o.Placement == Placement.Npu, "Axis ships this model for the ARTPEC-8 DLPU");
        r.Segments.Should().ContainSingle();
        Of(r, "A8-PARTITIONS").Should().BeEmpty();
        Of(r, "A8-PER-CHANNEL").Should().BeEmpty("exported with --per-tensor");
        Of(r, "A8-PER-CHANNEL-MODEL").Should().BeEmpty();

        // PAD, LOGISTIC and QUANTIZE are not in Axis's table but mapped by the vx-delegate.
        Of(r, "A8-OFF-TABLE").Should().HaveCount(Histogram(Yolo, "PAD") + Histogram(Yolo, "LOGISTIC") + Histogram(Yolo, "QUANTIZE"));

        var convs = r.Ops.Where(o => o.Op.Kind == OpKind.Conv2D).ToList();
        var channels = convs.ToDictionary(o => o.Op, o => g.Logical(o.Op.Output(0))!.Value.C);
        channels.Values.Should().Contain([24, 36, 72, 132, 264]);
        var filterFindings = Of(r, "A8-FILTERS");
        filterFindings.Select(f => f.Op).Should().BeEquivalentTo(convs.Where(o => channels[o.Op] % 6 != 0).Select(o => o.Op));
        filterFindings.Should().OnlyContain(f => channels[f.Op!] == 255, "only the 3×85-channel detection heads miss the multiple of 6");
    }

    [Fact]
    public void Tf2_mobilenet_v2_is_per_channel_on_artpec8()
    {
        using var g = Load(Tf2MobileNet);
        var r = new Artpec8Target().Analyze(g);
        var perChannel = Histogram(Tf2MobileNet, "CONV_2D") + Histogram(Tf2MobileNet, "DEPTHWISE_CONV_2D");
        Of(r, "A8-PER-CHANNEL").Should().HaveCount(perChannel);
        Of(r, "A8-PER-CHANNEL-MODEL").Should().ContainSingle().Which.Message.Should().StartWith($"{perChannel} of {perChannel} weight tensors");
        Of(r, "A8-DEPTHWISE").Should().HaveCount(Histogram(Tf2MobileNet, "DEPTHWISE_CONV_2D"));
    }

    [Fact]
    public void Sparse_face_detector_densifies_on_the_cpu_and_shows_its_sparsity()
    {
        using var g = Load(SparseFace);
        var densify = Histogram(SparseFace, "DENSIFY");
        foreach (var target in Targets)
        {
            var r = target.Analyze(g);
            r.Ops.Where(o => o.Op.Kind == OpKind.Densify).Should().HaveCount(densify)
                .And.OnlyContain(o => o.Placement == Placement.Cpu && o.CpuReason!.Rule.Id.EndsWith("-SPARSE-WEIGHTS", StringComparison.Ordinal));
        }

        foreach (var target in Targets.Where(t => t is not Cv25Target))
        {
            var r = target.Analyze(g);
            var storage = r.AllFindings.Where(f => f.Rule.Id.EndsWith("-SPARSE-STORAGE", StringComparison.Ordinal)).ToList();
            storage.Should().HaveCount(densify).And.OnlyContain(f => f.Op!.Kind == OpKind.Densify);
            storage.Should().OnlyContain(f => f.Message.Contains($"{VeriSiliconTips.Percent(VeriSiliconTips.StoredSparsity(f.Op!.Input(0))!.Value)} zeros", StringComparison.Ordinal));
        }

        var aml = new AmlnnTarget().Analyze(g);
        var sparseConvs = aml.Ops.Where(o => o.Op.Kind == OpKind.Conv2D && Metrics.StoredWeights(o.Op.Weights())?.Sparsity is not null).ToList();
        sparseConvs.Should().HaveCount(densify);
        foreach (var conv in sparseConvs)
        {
            var s = VeriSiliconTips.WeightSparsity(conv.Op);
            s.Should().NotBeNull().And.BeInRange(0, 1);
            output.WriteLine($"{conv.Op.Name}: {VeriSiliconTips.Percent(s!.Value)} zeros");
        }
    }
}
