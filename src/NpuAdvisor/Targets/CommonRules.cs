using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Targets;

/// <summary>
/// Checks every target makes the same way: ops no NPU compiler maps (custom, unknown, control flow and
/// the bodies it runs, sparse constants that need DENSIFY). Each target gets its own copies of the rules
/// under its id prefix, so a report names one rule set per target.
/// </summary>
public sealed class CommonRules
{
    public Rule CustomOp { get; }
    public Rule UnknownOp { get; }
    public Rule ControlFlow { get; }
    public Rule SparseWeights { get; }

    public CommonRules(string prefix, string targetName)
    {
        CustomOp = new Rule($"{prefix}-CUSTOM-OP", RuleKind.Unsupported,
            "Custom operators run on the CPU",
            $"{targetName}'s NPU compiler only maps builtin operators; a custom operator (any CUSTOM code) is executed by the CPU runtime, and the tensors around it cross the NPU/CPU boundary.",
            "Express the custom op with builtin ops, or move it to the end of the graph so one NPU segment remains.",
            "rules-anchors.md §1.2 (ops outside the table run on the CPU), §4 (Fallback unsupported op to TfLite)");
        UnknownOp = new Rule($"{prefix}-UNKNOWN-OP", RuleKind.Unsupported,
            "Operators this tool does not know run on the CPU",
            $"The operator code is not one {targetName} (or this tool) knows; it is assumed to run on the CPU.",
            "Check the converter version; replace the op by a builtin the target supports.",
            "rules-anchors.md §4.1 (the BuiltinOperator enum keeps growing: keep unknown codes as UNKNOWN(n))");
        ControlFlow = new Rule($"{prefix}-CONTROL-FLOW", RuleKind.Unsupported,
            "Control flow and the subgraphs it runs stay on the CPU",
            $"IF/WHILE/CALL_ONCE (ONNX If/Loop/Scan) and every op inside the subgraphs they run are executed by the CPU runtime on {targetName}.",
            "Unroll loops and resolve conditionals at export time.",
            "rules-anchors.md §4.5 (control-flow ops reference other subgraphs; treat them as CPU on every target)");
        SparseWeights = new Rule($"{prefix}-SPARSE-WEIGHTS", RuleKind.Unsupported,
            "Sparse-stored constants need DENSIFY on the CPU",
            $"A constant stored in TFLite's sparse format must be expanded by DENSIFY at run time; no NPU compiler for {targetName} reads the sparse format.",
            "Store the weights dense; keep the zeros (hardware that skips zeros still benefits).",
            "rules-anchors.md §4.4 (treat any tensor with sparsity set as not NPU-compatible on all targets)");
    }

    public IReadOnlyList<Rule> All => [CustomOp, UnknownOp, ControlFlow, SparseWeights];

    public static bool IsControlFlow(OpKind k) => k is OpKind.If or OpKind.While or OpKind.CallOnce or OpKind.Loop or OpKind.Scan;

    /// <summary>Reports the common reasons an op cannot be mapped; true when one fired (the target can skip its table).</summary>
    public bool Check(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.SubgraphIndex != 0)
        {
            ctx.Report(ControlFlow, $"runs inside subgraph {op.SubgraphIndex}, a body of a control-flow op");
            return true;
        }
        switch (op.Kind)
        {
            case OpKind.Custom:
                ctx.Report(CustomOp, $"custom operator '{op.CustomCode}' has no NPU kernel");
                return true;
            case OpKind.Unknown:
                ctx.Report(UnknownOp, $"operator {op.SourceType} is not known to the NPU compiler");
                return true;
            case var k when IsControlFlow(k):
                ctx.Report(ControlFlow, $"{op.TypeName} runs subgraphs on the CPU");
                return true;
            case OpKind.Densify:
                ctx.Report(SparseWeights, $"DENSIFY expands sparse constant '{op.Input(0)?.Name}' at run time");
                return true;
        }
        if (op.Inputs.FirstOrDefault(t => t?.Sparsity is not null) is { } sparse)
        {
            ctx.Report(SparseWeights, $"input '{sparse.Name}' is stored sparse");
            return true;
        }
        return false;
    }
}
