using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Tests.Reports;

/// <summary>
/// Graphs and results for the report tests. The targets are analysed for real; where a test needs
/// placements that differ between targets or findings with savings, it edits one target's results by
/// hand (rules are not what these tests check) and recomputes the segments. By default the targets are
/// <see cref="QuietTarget"/>s, so the planted findings are the only ones and counts are exact.
/// </summary>
internal static class ReportModels
{
    public const string Evil = "<script>alert(1)</script>";
    public const string EvilMix = "\"q'uo\"te\n</script><img src=x onerror=\"window.__xss=1\">\u2028|`[a](b)`{{data}}";

    public static readonly Rule HandRule = new("TEST-MOVE", RuleKind.Unsupported,
        "Test rule: op forced to the CPU", "Set by the report tests to make placements differ.",
        "Nothing to fix: test rule.", "tests/Reports");

    public static readonly Rule HandPerfRule = new("TEST-SLOW", RuleKind.Performance,
        "Test rule: slow op", "Set by the report tests to give findings a saving.", "Nothing to fix.", "tests/Reports");

    /// <summary>A small MobileNet-like graph with a residual branch, a custom op and a classifier head.</summary>
    public static Graph Demo(string? opName = null, string? tensorName = null)
    {
        var b = new GraphBuilder();
        var x = b.Input(tensorName ?? "image", 1, 64, 64, 3);
        var y = b.Conv2D(x, 16, 3, 3, stride: 2, activation: FusedActivation.Relu6, name: "stem");
        y = b.DepthwiseConv2D(y, 3, 3, name: "block1/dw");
        y = b.Conv2D(y, 24, 1, 1, name: "block1/project");
        var r = b.Conv2D(y, 24, 1, 1, name: "block2/expand");
        r = b.DepthwiseConv2D(r, 3, 3, name: "block2/dw");
        r = b.Conv2D(r, 24, 1, 1, name: "block2/project");
        y = b.Binary(OpKind.Add, y, r, name: "block2/add");
        y = b.Custom("MyPostProcess", y, [1, 32, 32, 24], name: opName ?? "custom_post");
        y = b.Conv2D(y, 32, 3, 3, stride: 2, name: "head/conv");
        y = b.Mean(y, [1, 2], keepDims: false, name: "head/mean");
        y = b.FullyConnected(y, 10, name: "head/fc");
        y = b.Softmax(y, name: "probabilities");
        b.Output(y);
        var g = b.Build();
        return new Graph { Format = g.Format, Path = "/models/demo_model.tflite", FileSize = 12345, Description = "report test model", Version = g.Version }
            .WithSubgraphsOf(g);
    }

    private static Graph WithSubgraphsOf(this Graph target, Graph source)
    {
        target.Subgraphs.AddRange(source.Subgraphs);
        return target;
    }

    /// <summary>
    /// Analyses with <paramref name="targets"/> (default <see cref="QuietTarget.Three"/>); on the second target the op
    /// <paramref name="cpuOp"/> is moved to the CPU by hand with a 1.5 ms saving, op 1 of the first target gets a
    /// 0.25 ms performance finding and the first target a model-level finding.
    /// </summary>
    public static IReadOnlyList<TargetResult> Analyze(Graph g, int cpuOp, string? message = null, IReadOnlyList<Target>? targets = null)
    {
        var results = (targets ?? QuietTarget.Three).Select(t => t.Analyze(g)).ToList();
        var moved = results[1];
        var op = moved.Ops.First(o => o.Op.SubgraphIndex == 0 && o.Op.Index == cpuOp);
        op.Placement = Placement.Cpu;
        op.Findings.Add(new Finding { Rule = HandRule, Op = op.Op, Message = message ?? $"{op.Op.TypeName} moved to the CPU by the test", Fix = HandRule.Fix, SavesMs = 1.5 });
        moved.Segments = Segments.Compute(moved);
        var slow = results[0].Ops.First(o => o.Op.SubgraphIndex == 0 && o.Op.Index == 1);
        slow.Findings.Add(new Finding { Rule = HandPerfRule, Op = slow.Op, Message = "depthwise 3×3 is slow here", Fix = HandPerfRule.Fix, SavesMs = 0.25 });
        results[0].ModelFindings.Add(new Finding { Rule = HandPerfRule, Message = "model-level note", Fix = HandPerfRule.Fix });
        return results;
    }

    /// <summary>A deep graph of about <paramref name="ops"/> ops: inception-like blocks (three branches and a concat) with residual adds.</summary>
    public static Graph Large(int ops)
    {
        var b = new GraphBuilder();
        var y = b.Conv2D(b.Input("input", 1, 32, 32, 3), 16, 3, 3, name: "stem");
        var block = 0;
        while (b.Main.Operators.Count < ops - 9)
        {
            var a = b.Conv2D(y, 8, 1, 1, name: $"b{block}/a");
            var c = b.DepthwiseConv2D(b.Conv2D(y, 4, 1, 1, name: $"b{block}/c1"), 3, 3, name: $"b{block}/c2");
            var d = b.Pool(OpKind.MaxPool2D, y, 3, 1, PaddingKind.Same, name: $"b{block}/pool");
            d = b.Conv2D(d, 4, 1, 1, name: $"b{block}/d");
            var cat = b.Concat([a, c, d], name: $"b{block}/concat");
            y = b.Binary(OpKind.Add, y, b.Unary(OpKind.Relu, cat, name: $"b{block}/relu"), name: $"b{block}/add");
            block++;
        }
        while (b.Main.Operators.Count < ops) y = b.Unary(OpKind.Relu, y, name: $"tail{b.Main.Operators.Count}");
        b.Output(y);
        return b.Build();
    }
}

internal static class ControlFlowModel
{
    /// <summary>A main subgraph with a WHILE op whose body (subgraph 1, "body") holds one ADD.</summary>
    public static Graph Build()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 4);
        var y = b.Conv2D(x, 4, 1, 1, name: "pre");
        var loopOut = b.Activation("loop_out", 1, 8, 8, 4);
        b.Op(OpKind.While, [y], [loopOut], new ControlFlowAttributes([1, 1]));
        b.Output(loopOut);
        var g = b.Build();
        var body = new Subgraph { Index = 1, Name = "body" };
        var bi = new Tensor { Index = 0, Name = "body_in", Type = DataType.Int8, Shape = new Shape(1, 8, 8, 4) };
        var bo = new Tensor { Index = 1, Name = "body_out", Type = DataType.Int8, Shape = new Shape(1, 8, 8, 4) };
        body.Tensors.AddRange([bi, bo]);
        body.Inputs.Add(bi);
        body.Outputs.Add(bo);
        body.Operators.Add(new Operator { Index = 0, SubgraphIndex = 1, Kind = OpKind.Add, SourceType = "ADD", Name = "body_add", Inputs = [bi, bi], Outputs = [bo] });
        body.Link();
        g.Subgraphs.Add(body);
        return g;
    }
}
