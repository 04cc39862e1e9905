using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Analysis.Cost;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using NpuAdvisor.Targets;
using NpuAdvisor.Tests.Cli;
using Xunit;

namespace NpuAdvisor.Tests.Reliability;

/// <summary>
/// Shapes of 2^31−1 (TFLite's largest dimension) in several places. Every figure that multiplies dimensions or adds
/// them over ops (MACs, byte counts, pooling windows, inspect's parameter count, the cost model, the reports) is
/// either exact or the model is refused with one typed error: never wrapped negative, never silently saturated.
/// </summary>
public class HostileShapeTests
{
    private const long M = int.MaxValue;
    private static readonly ConvAttributes Conv1x1 = new(1, 1, 1, 1, 1, 1, Padding2D.Valid, FusedActivation.None);

    private static byte[] Written(Action<GraphBuilder> build)
    {
        var b = new GraphBuilder();
        build(b);
        using var g = b.Build();
        return TfliteExporter.Write(g);
    }

    /// <summary>A 1×1 convolution whose weights are a run-time tensor, so a huge channel count costs no bytes in the file.</summary>
    private static Tensor Conv(GraphBuilder b, Tensor x, Tensor w, string name, params long[] outDims)
    {
        var y = b.Activation(name, outDims);
        b.Op(OpKind.Conv2D, [x, w, null], [y], Conv1x1);
        return y;
    }

    public static TheoryData<string, string> Refused() => new()
    {
        // Two dimensions of 2^31−1 are 2^62 elements: no element type fits 2^63 bits.
        { "weights-2-dims", "tensor 'w' of shape 2147483647×2147483647 (int8) is larger than 2^63 bits; no runtime can hold it (at subgraph 0 tensor 2)" },
        { "output-3-dims", "tensor 'y' of shape 2147483647×2147483647×2147483647×1 (int8) is larger than 2^63 bits; no runtime can hold it (at subgraph 0 tensor 0)" },
        // Each op fits; their sum does not (before: OverflowException in every report's MAC total).
        { "macs-in-all", "the model's operators need more than 2^63 multiply-accumulates in all; its shapes cannot be real (at all subgraphs)" },
        // One 2^59-byte tensor listed as 16 inputs (before: negative DRAM bytes and a 0 ms estimate).
        { "same-input-16x", "ADD 'y' reads and writes more than 2^63 bits; its shapes cannot be real (at subgraph 0 operator 0)" },
        { "operands-in-all", "the model's operators read and write more than 2^63 bits in all; its shapes cannot be real (at all subgraphs)" },
        // A 2^31−1 square filter: output elements × window wrapped the pool's work.
        { "pool-window", "MAX_POOL_2D 'y' reads more than 2^63 window elements (output elements × filter area); its shapes cannot be real (at subgraph 0 operator 0)" },
        { "pool-windows-in-all", "the model's pooling operators read more than 2^63 window elements in all; its shapes cannot be real (at all subgraphs)" },
        { "tensors-in-all", "the model's tensors hold more than 2^63 bits in all; no runtime can hold them (at all subgraphs)" },
    };

    private static byte[] Model(string name) => name switch
    {
        "weights-2-dims" => Written(b =>
        {
            var x = b.Input("x", 1, M);
            var y = b.Activation("y", 1, M);
            b.Op(OpKind.FullyConnected, [x, b.Activation("w", M, M), null], [y], new FullyConnectedAttributes(FusedActivation.None, false));
            b.Output(y);
        }),
        "output-3-dims" => Written(b =>
        {
            var y = b.Activation("y", M, M, M, 1);
            b.Op(OpKind.Relu, [b.Input("x", 1, M, 1, 1)], [y]);
            b.Output(y);
        }),
        "macs-in-all" => Written(b =>
        {
            // (2^31−1)·2^16·2^16 = 2^63 − 2^32 MACs each.
            var x = b.Input("x", 1, M, 1, 1 << 16);
            var w = b.Activation("w", 1 << 16, 1, 1, 1 << 16);
            b.Output(Conv(b, Conv(b, x, w, "y1", 1, M, 1, 1 << 16), w, "y2", 1, M, 1, 1 << 16));
        }),
        "same-input-16x" => Written(b =>
        {
            var x = b.Input("x", 1, M, 1 << 14, 1 << 14);
            var y = b.Activation("y", 1, M, 1 << 14, 1 << 14);
            b.Op(OpKind.Add, Enumerable.Repeat<Tensor?>(x, 16).ToList(), [y], new ElementwiseAttributes(FusedActivation.None));
            b.Output(y);
        }),
        "operands-in-all" => Written(b =>
        {
            // x+x per op is 3·2^61 bits; two such ops 3·2^62; the three tensors 3·2^61.
            var x = b.Input("x", 1, M, 1 << 13, 1 << 14);
            var y1 = b.Activation("y1", 1, M, 1 << 13, 1 << 14);
            var y2 = b.Activation("y2", 1, M, 1 << 13, 1 << 14);
            b.Op(OpKind.Add, [x, x], [y1], new ElementwiseAttributes(FusedActivation.None));
            b.Op(OpKind.Add, [x, x], [y2], new ElementwiseAttributes(FusedActivation.None));
            b.Output(y1);
            b.Output(y2);
        }),
        "pool-window" => Written(b =>
        {
            var x = b.Input("x", 1, M, 1, 1 << 20);
            var y = b.Activation("y", 1, M, 1, 1 << 20);
            b.Op(OpKind.MaxPool2D, [x], [y], new PoolAttributes(int.MaxValue, int.MaxValue, 1, 1, Padding2D.Valid, FusedActivation.None));
            b.Output(y);
        }),
        "pool-windows-in-all" => Written(b =>
        {
            // (2^31−1) output elements × a (2^31−1)×2 window = 2^63 − 2^33 + 2 each; two pools pass 2^63.
            var x = b.Input("x", 1, M, 1, 1);
            foreach (var n in new[] { "y1", "y2" })
            {
                var y = b.Activation(n, 1, M, 1, 1);
                b.Op(OpKind.MaxPool2D, [x], [y], new PoolAttributes(int.MaxValue, 2, 1, 1, Padding2D.Valid, FusedActivation.None));
                b.Output(y);
            }
        }),
        "tensors-in-all" => Written(b =>
        {
            // Three unused 2^62-bit tensors beside a tiny model.
            b.Output(b.Unary(OpKind.Relu, b.Input("x", 1, 4), "y"));
            for (var i = 0; i < 3; i++) b.Activation($"spare{i}", 1, M, 1 << 28, 1);
        }),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Sizes_past_64_bits_are_refused_with_the_figure_they_overflow(string model, string message)
    {
        var act = () => TfliteImporter.Load(Model(model));
        act.Should().Throw<ModelFormatException>().Which.Message.Should().Be(message);
    }

    [Fact]
    public void Every_verb_exits_3_with_the_one_error_line_on_a_model_whose_macs_overflow_in_all()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hostile-macs-{Guid.NewGuid():N}.tflite");
        File.WriteAllBytes(path, Model("macs-in-all"));
        try
        {
            var line = $"error: {path}: the model's operators need more than 2^63 multiply-accumulates in all; its shapes cannot be real (at all subgraphs)";
            foreach (var args in new[] { new[] { "check", path, "-f", "json" }, ["estimate", path], ["inspect", path], ["report", path, "-o", path + ".html"], ["fix", path, "-t", "artpec8", "--dry-run"] })
            {
                var run = CliRunner.Run(args);
                run.ExitCode.Should().Be(3, args[0]);
                run.Err.Trim().Should().Be(line, args[0]);
            }
            File.Exists(path + ".html").Should().BeFalse();
        }
        finally { File.Delete(path); }
    }

    /// <summary>
    /// 2^31−1 rows of 2^15 channels: a 1×1 convolution of (2^31−1)·2^30 MACs (2^61), a depthwise 3×3 and a 2^15-high
    /// max pool over its output. Large, but every figure fits 64 bits, so the model is analysed and its figures are exact.
    /// </summary>
    private static byte[] LargeButValid() => Written(b =>
    {
        var x = b.Input("x", 1, M, 1, 1 << 15);
        var conv = Conv(b, x, b.Activation("w", 1 << 15, 1, 1, 1 << 15), "conv", 1, M, 1, 1 << 15);
        var dw = b.Activation("dw", 1, M, 1, 1 << 15);
        b.Op(OpKind.DepthwiseConv2D, [conv, b.Activation("dw/w", 1, 3, 3, 1 << 15), null], [dw],
            new ConvAttributes(3, 3, 1, 1, 1, 1, Padding2D.Same(1, 1, 1, 1), FusedActivation.None, 1, 1 << 15));
        var pool = b.Activation("pool", 1, M, 1, 1 << 15);
        b.Op(OpKind.MaxPool2D, [dw], [pool], new PoolAttributes(1 << 15, 1, 1, 1, Padding2D.Same(1 << 14, (1 << 14) - 1, 0, 0), FusedActivation.None));
        b.Output(pool);
    });

    private const long ConvMacs = M << 30;
    private const long DepthwiseMacs = (M << 15) * 9;

    [Fact]
    public void A_large_model_that_fits_64_bits_has_exact_macs_in_every_report_and_no_negative_figure()
    {
        using (var g = TfliteImporter.Load(LargeButValid()))
        {
            g.Main.Operators.Select(o => g.Macs(o)).Should().Equal(ConvMacs, DepthwiseMacs, 0L);
            var facts = ModelFacts.Of(g);
            facts.Macs.Should().Be(ConvMacs + DepthwiseMacs);
            foreach (var r in Advisor.Check(g, TargetRegistry.All))
            {
                r.Summary.TotalMacs.Should().Be(ConvMacs + DepthwiseMacs, r.Target.Id);
                r.Estimate!.TotalMs.Should().BePositive().And.Match(v => double.IsFinite(v), r.Target.Id);
                r.Estimate.DramBytes.Should().BePositive(r.Target.Id);
                r.Estimate.Ops.Should().OnlyContain(o => o.Ms >= 0 && double.IsFinite(o.Ms) && o.DramBytes >= 0, r.Target.Id);
            }
        }

        var path = Path.Combine(Path.GetTempPath(), $"hostile-large-{Guid.NewGuid():N}.tflite");
        File.WriteAllBytes(path, LargeButValid());
        try
        {
            var check = Json(CliRunner.Run("check", path, "-f", "json"));
            foreach (var t in check.GetProperty("models")[0].GetProperty("targets").EnumerateArray())
            {
                t.GetProperty("summary").GetProperty("macs").GetInt64().Should().Be(ConvMacs + DepthwiseMacs);
                t.GetProperty("ops").EnumerateArray().Select(o => o.GetProperty("macs").GetInt64()).Should().Equal(ConvMacs, DepthwiseMacs, 0L);
            }
            var inspect = Json(CliRunner.Run("inspect", path, "--format", "json"));
            inspect.GetProperty("macs").GetInt64().Should().Be(ConvMacs + DepthwiseMacs);
            inspect.GetProperty("ops").EnumerateArray().Select(o => o.GetProperty("macs").GetInt64()).Should().Equal(ConvMacs, DepthwiseMacs, 0L);
            var estimate = Json(CliRunner.Run("estimate", path, "-f", "json"));
            foreach (var t in estimate.GetProperty("targets").EnumerateArray())
                t.GetProperty("slowest_layers").EnumerateArray().Where(o => o.GetProperty("type").GetString() == "CONV_2D")
                    .Select(o => o.GetProperty("macs").GetInt64()).Should().Equal(ConvMacs);
            var table = CliRunner.Run("inspect", path);
            table.Out.Should().Contain($"MACs             {ConvMacs + DepthwiseMacs:N0}").And.Contain(ConvMacs.ToString("N0"));
            var report = CliRunner.Run("report", path, "-o", path + ".html");
            report.ExitCode.Should().Be(0);
            File.ReadAllText(path + ".html").Should().Contain($"\"macs\":{ConvMacs}");
            foreach (var doc in new[] { check, inspect, estimate })
                Numbers(doc).Where(n => !n.Path.EndsWith("zero_point", StringComparison.Ordinal)).Should().OnlyContain(n => n.Value >= 0);
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".html");
        }
    }

    private static JsonElement Json(CliRun run)
    {
        run.ExitCode.Should().BeOneOf(0, 1);
        return JsonDocument.Parse(run.Out).RootElement;
    }

    private static IEnumerable<(string Path, double Value)> Numbers(JsonElement e, string path = "") => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Numbers(p.Value, path + "." + p.Name)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany((v, i) => Numbers(v, $"{path}[{i}]")),
        JsonValueKind.Number => [(path, e.GetDouble())],
        _ => [],
    };

    [Fact]
    public void Stacked_3x3_layers_for_a_non_square_kernel_never_price_negative_macs()
    {
        // A 1×5 kernel as 3×3 layers: the first needs 9/5 of its MACs, 5.8·10^18 · 9/5 passes 2^63, which the long product wrapped.
        var b = new GraphBuilder();
        var x = b.Input("x", 1, M, 1, 1 << 15);
        var y = b.Activation("conv", 1, M, 1, 1 << 14);
        b.Op(OpKind.Conv2D, [x, b.Activation("w", 1 << 14, 1, 5, 1 << 15), null], [y], new ConvAttributes(1, 5, 1, 1, 1, 1, Padding2D.Valid, FusedActivation.None));
        b.Output(y);
        using var g = TfliteImporter.Load(TfliteExporter.Write(b.Build()));
        var conv = g.Main.Operators[0];
        g.Macs(conv).Should().Be((M << 29) * 5);
        var target = TargetRegistry.Find("amlnn")!;
        var r = target.Analyze(g);
        var finding = new Finding
        {
            Rule = new Rule("TEST-KERNEL", RuleKind.Performance, "s", "h", "f", "t", FixKind.UseSmallKernel),
            Op = conv, Message = "m", Fix = "f",
        };
        var variants = WhatIf.Variants(CostModel.For(target), r, finding).ToList();
        variants.Should().NotBeEmpty();
        var works = variants.SelectMany(v => v.Overrides.Values).SelectMany(p => p.Works).ToList();
        works.Should().NotBeEmpty().And.OnlyContain(w => w.Macs >= 0 && w.CpuWork >= 0 && w.ParamBytes >= 0 && w.Elements >= 0);
        works.Should().Contain(w => w.KernelH == 3 && w.KernelW == 3 && w.Macs == long.MaxValue, "9/5 of the MACs is held at the 64-bit limit, which prices as slower, not wrapped as free");
    }

    [Fact]
    public void Detection_post_process_work_is_not_wrapped_by_hostile_options()
    {
        var pp = new DetectionPostProcess(Anchors: M, NumClasses: int.MaxValue, MaxDetections: int.MaxValue, DetectionsPerClass: 100, UseRegularNms: true);
        double a = M, c = int.MaxValue;
        // decode 4a + scores a(c+1) + regular NMS 2ca + max_detections·a: about 1.8·10^19, past 2^63.
        pp.WorkUnits.Should().BeApproximately(4 * a + a * (c + 1) + 2 * c * a + c * a, 1e6).And.BeGreaterThan(long.MaxValue);
    }

    [Fact]
    public void Byte_counts_just_under_2_to_the_63_bits_do_not_wrap()
    {
        // (2^61 − 1) int4 elements are 2^63 − 4 bits: adding 7 before dividing by 8 wrapped.
        DataType.Int4.ByteCount((1L << 61) - 1).Should().Be(1L << 60);
        DataType.Int8.ByteCount(long.MaxValue / 8).Should().Be(long.MaxValue / 8);
        DataType.Int4.ByteCount(3).Should().Be(2);
    }
}
