namespace NpuAdvisor.Model;

/// <summary>
/// Sizes every figure is computed in (64-bit bytes and MACs). A file whose tensor sizes or op MACs do not fit
/// describes no model any runtime could allocate or run; the importers refuse it with one typed error instead of
/// reporting wrapped, negative or saturated numbers.
/// </summary>
public static class SizeLimits
{
    /// <summary>Cap of the 128-bit intermediate products, far above anything that fits 64 bits.</summary>
    public static readonly Int128 Huge = Int128.One << 100;

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

    public static void Check(Graph graph)
    {
        foreach (var sg in graph.Subgraphs)
        {
            foreach (var t in sg.Tensors)
                if (Metrics.ExactElements(t) is { } n && n * Math.Max(1L, t.Type.Bits()) > long.MaxValue)
                    throw new ModelFormatException($"tensor '{t.Name}' of shape {t.Shape} ({t.Type.Name()}) is larger than 2^63 bits; no runtime can hold it", $"subgraph {sg.Index} tensor {t.Index}");
            foreach (var op in sg.Operators)
                if (op.ExactMacs(graph.Layout) > long.MaxValue)
                    throw new ModelFormatException($"{op.TypeName} '{op.Name}' needs more than 2^63 multiply-accumulates; its shapes cannot be real", $"subgraph {sg.Index} operator {op.Index}");
        }
    }
}
