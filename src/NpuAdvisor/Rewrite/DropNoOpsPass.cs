using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Rewrite;

/// <summary>
/// drop-no-ops: ops that hand their input on unchanged go (RESHAPE/SQUEEZE/EXPAND_DIMS to the same
/// shape, CAST to the same type, QUANTIZE to the same parameters, Identity, inference-mode Dropout,
/// DEQUANTIZE→QUANTIZE back to the same parameters), and a RESHAPE of a RESHAPE/SQUEEZE/EXPAND_DIMS
/// reads the first one's input. QUANTIZE→DEQUANTIZE is declined: it rounds floats to the grid.
/// </summary>
public sealed class DropNoOpsPass : RewritePass
{
    public override string Id => "drop-no-ops";
    public override string Summary => "remove reshapes to the same shape, reshape chains, same-type CAST, Identity/Dropout, DEQUANTIZE→QUANTIZE round trips";

    // No rule asks for these directly; what removing each op clears is measured per site.
    public override bool Fixes(Rule rule) => false;

    private static readonly OpKind[] ShapeOps = [OpKind.Reshape, OpKind.Squeeze, OpKind.ExpandDims, OpKind.Flatten];

    public override IEnumerable<RewriteSite> Sites(Graph graph, RewriteContext context)
    {
        var sg = graph.Main;
        foreach (var op in sg.Operators.ToList())
        {
            if (op.Outputs.Count != 1 || op.Input(0) is not { } x) continue;
            var y = op.Outputs[0];
            if (ShapeOps.Contains(op.Kind))
            {
                if (SameTensorType(x, y) && x.Shape.IsFullyKnown && x.Shape.Equals(y.Shape) && StaticSignature(x) && StaticSignature(y))
                {
                    if (Bypass(graph, op, x, y, $"drop {op.TypeName} to the same shape") is { } s) yield return s;
                    continue;
                }
                if (op.Kind == OpKind.Reshape && x.Producer is { } first && ShapeOps.Contains(first.Kind) && first.Outputs.Count == 1
                    && first.Input(0) is { } source && GraphEdit.SoleConsumer(sg, x) == op && y.Shape.IsFullyKnown && StaticSignature(y)
                    && SameElements(source, x) && SameElements(x, y) && !op.Inputs.Skip(1).Contains(x))
                {
                    yield return new RewriteSite([first, op], $"collapse {first.TypeName}→RESHAPE into one RESHAPE", () =>
                    {
                        op.Inputs = [source, .. op.Inputs.Skip(1)];
                        GraphEdit.Remove(graph, [first], [x, .. first.Inputs.Skip(1)]);
                    });
                }
                continue;
            }
            switch (op.Kind)
            {
                case OpKind.Identity when op.Inputs.Count == 1 && SameTensorType(x, y):
                case OpKind.Cast when op.Inputs.Count == 1 && SameTensorType(x, y):
                    if (Bypass(graph, op, x, y, $"drop {op.TypeName} that changes nothing") is { } s1) yield return s1;
                    break;
                case OpKind.Quantize when x.Type.IsInteger() && SameTensorType(x, y):
                    if (Bypass(graph, op, x, y, "drop QUANTIZE to the same parameters") is { } s2) yield return s2;
                    break;
                case OpKind.Quantize when x.Producer is { Kind: OpKind.Dequantize } dq && dq.Input(0) is { } q && SameTensorType(q, y):
                    if (Bypass(graph, op, q, y, "drop DEQUANTIZE→QUANTIZE back to the same parameters", dq, x) is { } s3) yield return s3;
                    break;
                case OpKind.Dequantize when x.Producer is { Kind: OpKind.Quantize } qop && qop.Input(0) is { } f && f.Type == y.Type && y.Type.IsFloat():
                    yield return RewriteSite.Decline([qop, op], "drop QUANTIZE→DEQUANTIZE",
                        "not bit-exact: QUANTIZE rounds each float to the quantization grid, so the pair is not the identity");
                    break;
            }
        }
    }

    private static bool StaticSignature(Tensor t) => t.ShapeSignature is null || t.ShapeSignature.IsFullyKnown;

    private static bool SameElements(Tensor a, Tensor b) => a.Type == b.Type && FuseActivationPass.SameQuantization(a.Quantization, b.Quantization);

    private static bool SameTensorType(Tensor a, Tensor b) => SameElements(a, b) && a.Shape.Equals(b.Shape);

    /// <summary>
    /// Readers of <paramref name="y"/> read <paramref name="x"/> instead and <paramref name="op"/> goes (with
    /// <paramref name="upstream"/> when nothing else reads <paramref name="mid"/>). When <paramref name="y"/> is a
    /// graph output its name must stay, so the producer of <paramref name="x"/> writes it directly instead.
    /// </summary>
    private static RewriteSite? Bypass(Graph graph, Operator op, Tensor x, Tensor y, string what, Operator? upstream = null, Tensor? mid = null)
    {
        var sg = graph.Main;
        IReadOnlyList<Operator> ops = upstream is null ? [op] : [upstream, op];
        if (!GraphEdit.IsGraphOutput(sg, y))
        {
            return new RewriteSite(ops, what, () =>
            {
                GraphEdit.ReplaceUses(sg, y, x);
                var drop = new List<Operator> { op };
                if (upstream is not null && mid is not null && mid.Consumers.Distinct().All(c => c == op) && !GraphEdit.IsGraphOutput(sg, mid)) drop.Add(upstream);
                GraphEdit.Remove(graph, drop, [y, mid, .. op.Inputs.Skip(1)]);
            });
        }
        // y is a model output: x must be a plain intermediate that only this op reads.
        if (upstream is not null || x.Producer is not { } p || GraphEdit.IsGraphInput(sg, x) || GraphEdit.SoleConsumer(sg, x) != op || !x.Data.IsEmpty) return null;
        return new RewriteSite(ops, what, () =>
        {
            p.Outputs = p.Outputs.Select(t => ReferenceEquals(t, x) ? y : t).ToArray();
            GraphEdit.Remove(graph, [op], [x, .. op.Inputs.Skip(1)]);
        });
    }
}
