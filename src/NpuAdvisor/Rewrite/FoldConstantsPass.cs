using System.Runtime.InteropServices;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Rewrite;

/// <summary>
/// fold-constants: a DEQUANTIZE of constant float16 weights to float32 is computed once and its output
/// becomes the constant. Widening float16 to float32 is exact, so every reader sees the same values.
/// Other constant ops are left alone: the project does not evaluate them exactly.
/// </summary>
public sealed class FoldConstantsPass : RewritePass
{
    public override string Id => "fold-constants";
    public override string Summary => "compute DEQUANTIZE of constant float16 weights to float32 once";

    public override bool Fixes(Rule rule) => false;

    public override IEnumerable<RewriteSite> Sites(Graph graph, RewriteContext context)
    {
        var sg = graph.Main;
        foreach (var op in sg.Operators.ToList())
        {
            if (op.Kind != OpKind.Dequantize || op.Inputs.Count != 1 || op.Outputs.Count != 1 || op.Input(0) is not { } w) continue;
            var y = op.Outputs[0];
            if (w.Type != DataType.Float16 || y.Type != DataType.Float32 || w.Data.IsEmpty || w.Sparsity is not null) continue;
            if (GraphEdit.IsGraphOutput(sg, y) || !w.Shape.Equals(y.Shape) || w.Shape.ElementCount is not { } n || w.Data.Length != n * 2) continue;
            yield return new RewriteSite([op], "compute fp16→fp32 DEQUANTIZE of constant weights", () =>
            {
                y.Data = Widen(w.Data.Span);
                y.IsConstant = true;
                GraphEdit.Remove(graph, [op], [w]);
            });
        }
    }

    private static byte[] Widen(ReadOnlySpan<byte> half)
    {
        var source = MemoryMarshal.Cast<byte, Half>(half);
        var result = new float[source.Length];
        for (var i = 0; i < source.Length; i++) result[i] = (float)source[i];
        return MemoryMarshal.AsBytes(result.AsSpan()).ToArray();
    }
}
