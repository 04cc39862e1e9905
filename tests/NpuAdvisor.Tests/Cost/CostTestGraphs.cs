using NpuAdvisor.Analysis;
using NpuAdvisor.Analysis.Cost;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Tests.Cost;

/// <summary>Small graphs and helpers for the cost-model tests.</summary>
internal static class CostTestGraphs
{
    public static readonly string[] TargetIds = ["artpec7", "artpec8", "artpec9", "cv25", "amlnn"];

    public static Target TargetOf(string id) => TargetRegistry.Find(id)!;

    /// <summary>input → conv 3×3 (first) → conv (the op under test) → conv 3×3 16 → output, int8.</summary>
    public static Graph Chain(int size, int inC, int filters, int kernel = 3, int stride = 1, bool perChannel = false,
        FusedActivation activation = FusedActivation.Relu, int seed = 1)
    {
        var b = new GraphBuilder(seed);
        var x = b.Input("input", 1, size, size, inC);
        x = b.Conv2D(x, inC, 3, 3, activation: FusedActivation.Relu, name: "first");
        x = b.Conv2D(x, filters, kernel, kernel, stride, activation: activation, perChannel: perChannel, name: "under_test");
        x = b.Conv2D(x, 16, 3, 3, activation: FusedActivation.Relu, name: "last");
        b.Output(x);
        return b.Build();
    }

    public static OpResult Op(TargetResult r, string name) => r.Ops.Single(o => o.Op.Name == name);

    public static Finding FindingOn(OpResult op, FixKind fix, RuleKind kind = RuleKind.Performance)
    {
        var f = new Finding
        {
            Rule = new Rule($"TEST-{fix}", kind, "test rule", "test rule", "test fix", "test", fix),
            Op = op.Op, Message = "test", Fix = "test fix",
        };
        op.Findings.Add(f);
        return f;
    }

    /// <summary>Every op on the NPU: the plan the placement properties start from.</summary>
    public static CostPlan AllOnNpu(TargetResult r) => new()
    {
        Overrides = r.Ops.ToDictionary(o => o, o => new OpPlan(Placement.Npu, [OpWork.Of(o, r.Graph.Layout)])),
    };
}
