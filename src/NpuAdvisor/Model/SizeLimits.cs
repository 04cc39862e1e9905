namespace NpuAdvisor.Model;

/// <summary>
/// Sizes every figure is computed in (64-bit bytes and MACs). A file whose tensor sizes or op MACs do not fit
/// describes no model any runtime could allocate or run; the importers refuse it with one typed error instead of
/// reporting wrapped, negative or saturated numbers.
/// </summary>
/// <remarks>
/// Each tensor and each op fitting is not enough: reports add MACs over ops, and the cost model adds the bytes an
/// op reads and writes (a tensor listed as several inputs counts each time) over ops. So the model's totals must
/// fit too; then every sum over a subset of them does.
/// </remarks>
public static class SizeLimits
{
    /// <summary>Cap of the 128-bit intermediate products, far above anything that fits 64 bits.</summary>
    public static readonly Int128 Huge = Int128.One << 100;

    private const string AllSubgraphs = "all subgraphs";

    /// <summary>Product of non-negative factors, saturating at <see cref="Huge"/> (a negative factor counts as 0).</summary>
    public static Int128 Product(Int128 first, params ReadOnlySpan<long> factors)
    {
        var n = first;
        foreach (var f in factors)
        {
            if (f <= 0 || n == 0) return 0;
            n = n > Huge / f ? Huge : Int128.Min(Huge, n * f);
        }
        return n;
    }

    /// <summary>Bits of one instance of the tensor in 128 bits; 0 when its shape or element size is not known.</summary>
    public static Int128 Bits(Tensor? t) => Metrics.ExactElements(t) is { } n ? Product(n, Math.Max(1L, t!.Type.Bits())) : 0;

    public static void Check(Graph graph)
    {
        Int128 tensorBits = 0, operandBits = 0, macs = 0, windowReads = 0;
        foreach (var sg in graph.Subgraphs)
        {
            foreach (var t in sg.Tensors)
            {
                var bits = Bits(t);
                if (bits > long.MaxValue)
                    throw new ModelFormatException($"tensor '{t.Name}' of shape {t.Shape} ({t.Type.Name()}) is larger than 2^63 bits; no runtime can hold it", $"subgraph {sg.Index} tensor {t.Index}");
                tensorBits = Int128.Min(Huge, tensorBits + bits);
            }
            foreach (var op in sg.Operators)
            {
                var where = $"subgraph {sg.Index} operator {op.Index}";
                var opMacs = op.ExactMacs(graph.Layout);
                if (opMacs > long.MaxValue)
                    throw new ModelFormatException($"{op.TypeName} '{op.Name}' needs more than 2^63 multiply-accumulates; its shapes cannot be real", where);
                var opBits = OperandBits(op);
                if (opBits > long.MaxValue)
                    throw new ModelFormatException($"{op.TypeName} '{op.Name}' reads and writes more than 2^63 bits; its shapes cannot be real", where);
                var reads = WindowReads(op);
                if (reads > long.MaxValue)
                    throw new ModelFormatException($"{op.TypeName} '{op.Name}' reads more than 2^63 window elements (output elements × filter area); its shapes cannot be real", where);
                macs = Int128.Min(Huge, macs + opMacs);
                operandBits = Int128.Min(Huge, operandBits + opBits);
                windowReads = Int128.Min(Huge, windowReads + reads);
            }
        }
        if (tensorBits > long.MaxValue)
            throw new ModelFormatException("the model's tensors hold more than 2^63 bits in all; no runtime can hold them", AllSubgraphs);
        if (macs > long.MaxValue)
            throw new ModelFormatException("the model's operators need more than 2^63 multiply-accumulates in all; its shapes cannot be real", AllSubgraphs);
        if (operandBits > long.MaxValue)
            throw new ModelFormatException("the model's operators read and write more than 2^63 bits in all; its shapes cannot be real", AllSubgraphs);
        if (windowReads > long.MaxValue)
            throw new ModelFormatException("the model's pooling operators read more than 2^63 window elements in all; its shapes cannot be real", AllSubgraphs);
    }

    /// <summary>Bits of every input and output slot, a tensor listed twice counting twice (as the cost model counts them).</summary>
    private static Int128 OperandBits(Operator op)
    {
        Int128 n = 0;
        foreach (var t in op.Inputs) n = Int128.Min(Huge, n + Bits(t));
        foreach (var t in op.Outputs) n = Int128.Min(Huge, n + Bits(t));
        return n;
    }

    /// <summary>A windowed pool's output elements (every output slot) × filter area: the per-element work the cost model prices it by.</summary>
    private static Int128 WindowReads(Operator op)
    {
        if (op.Attributes is not PoolAttributes { IsGlobal: false } p) return 0;
        Int128 n = 0;
        foreach (var t in op.Outputs) n = Int128.Min(Huge, n + (Metrics.ExactElements(t) ?? 0));
        return Product(n, Math.Max(1, p.FilterH), Math.Max(1, p.FilterW));
    }
}
