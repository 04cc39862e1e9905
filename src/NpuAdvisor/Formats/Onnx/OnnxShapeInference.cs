using System.Collections.Immutable;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

/// <summary>
/// Infers output types and shapes operator by operator in topological order, settles the op kinds and
/// typed attributes that depend on shapes, and folds small integer/float computations on constants
/// (Shape → Gather → Unsqueeze → Concat → Reshape chains) so shapes built at run time are known.
/// Unknown stays unknown: a dimension that cannot be derived is -1, a rank that cannot be derived is
/// <see cref="Shape.UnknownRank"/>. The producer's value_info fills what inference leaves unknown.
/// </summary>
internal sealed partial class OnnxShapeInference(OnnxModelReader reader, Graph graph)
{
    /// <summary>Marks an element of a folded integer value that is not known (a dynamic dimension read by Shape).</summary>
    internal const long UnknownValue = long.MinValue;

    /// <summary>Largest tensor folded into a value; larger results keep only their shape.</summary>
    private const int MaxFoldElements = 1 << 16;

    private readonly Dictionary<Tensor, long[]> _ints = [];
    private readonly Dictionary<Tensor, double[]> _floats = [];
    private readonly Dictionary<Tensor, string?[]> _valueNames = [];
    private readonly Dictionary<int, GraphScope> _scopes = [];
    private readonly Graph _graph = graph;
    private readonly OnnxModelReader _reader = reader;

    public void InferSubgraph(GraphScope scope)
    {
        _scopes[scope.Subgraph.Index] = scope;
        foreach (var body in scope.Bodies) _scopes[body.Subgraph.Index] = body;
        foreach (var (copy, outer) in scope.Captured)
        {
            copy.Type = outer.Type;
            copy.Shape = outer.Shape;
            if (_ints.TryGetValue(outer, out var iv)) _ints[copy] = iv;
            if (_floats.TryGetValue(outer, out var fv)) _floats[copy] = fv;
        }
        foreach (var op in scope.Subgraph.Operators)
        {
            var info = scope.Nodes[op];
            if (info.Domain == "ai.onnx") Infer(op, info);
            else if (info.Domain == OnnxOps.ContribDomain) InferContrib(op, info);
            ApplyDeclared(scope, op);
        }
    }

    /// <summary>value_info and graph output declarations fill dimensions and types inference could not derive.</summary>
    private static void ApplyDeclared(GraphScope scope, Operator op)
    {
        foreach (var t in op.Outputs)
        {
            if (!scope.Declared.TryGetValue(t.Name, out var vi) || vi.Type?.TensorType is not { } tt) continue;
            if (t.Type == DataType.Unknown) t.Type = OnnxTypes.ToIr(tt.ElemType);
            if (tt.Shape is null) continue;
            var declared = OnnxModelReader.ShapeOf(tt.Shape, $"value_info '{t.Name}'");
            if (t.Shape.IsUnknownRank) { t.Shape = declared; continue; }
            if (declared.Rank != t.Shape.Rank) continue;
            var d = t.Shape.Dims.ToArray();
            var n = NamesOf(t.Shape);
            for (var i = 0; i < d.Length; i++)
            {
                if (d[i] >= 0) continue;
                d[i] = declared.Dims[i];
                if (n[i] is null && i < declared.DimNames.Length) n[i] = declared.DimNames[i];
            }
            t.Shape = Make(d, n);
        }
    }

    // ---- shape helpers ----

    internal static string?[] NamesOf(Shape s) =>
        s.DimNames.Length == s.Rank ? [.. s.DimNames] : new string?[s.Rank];

    internal static Shape Make(long[] dims, string?[]? names = null)
    {
        var keep = names is not null && names.Length == dims.Length && names.Where((n, i) => n is not null && dims[i] < 0).Any();
        var n = keep ? ImmutableArray.CreateRange(names!.Select((x, i) => dims[i] < 0 ? x : null)) : default;
        return new Shape(ImmutableArray.Create(dims), false, n);
    }

    private static long[]? Dims(Tensor? t) => t is null || t.Shape.IsUnknownRank ? null : [.. t.Shape.Dims];

    private static void SetShape(Tensor? t, long[] dims, string?[]? names = null)
    {
        if (t is null) return;
        foreach (var d in dims)
            if (d < -1) throw new ModelFormatException($"inferred dimension {d} of '{t.Name}' is negative", t.Name);
        t.Shape = Make(dims, names);
    }

    private static void SetType(Tensor? t, DataType type)
    {
        if (t is not null && type != DataType.Unknown) t.Type = type;
    }

    private static void SameAs(Tensor? output, Tensor? input, DataType? type = null)
    {
        if (output is null || input is null) return;
        SetType(output, type ?? input.Type);
        output.Shape = input.Shape;
    }

    private static int Axis(long axis, int rank, NodeInfo info, string what = "axis")
    {
        var a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ModelFormatException($"{what} {axis} is out of range for rank {rank}", $"{info.Field}.{what}");
        return (int)a;
    }

    private static long Mul(long a, long b) => a < 0 || b < 0 ? -1 : checked(a * b);

    private static long Product(IEnumerable<long> dims)
    {
        long p = 1;
        foreach (var d in dims)
        {
            if (d < 0) return -1;
            p = checked(p * d);
        }
        return p;
    }

    // ---- constant values ----

    /// <summary>Integer value of a constant or folded tensor; entries may be <see cref="UnknownValue"/>.</summary>
    internal long[]? Ints(Tensor? t)
    {
        if (t is null) return null;
        if (_ints.TryGetValue(t, out var v)) return v;
        if (t.IsConstant && t.Sparsity is null && (t.Type.IsInteger() || t.Type == DataType.Bool) && (t.Data.Length > 0 || t.Shape.ElementCount == 0))
        {
            v = OnnxTensorData.AsLongs(t.Type, t.Data.Span, MaxFoldElements);
            if (v is not null) _ints[t] = v;
            return v;
        }
        if (Floats(t) is { } f && f.All(x => Math.Abs(x) < 9e15 && Math.Floor(x) == x)) return [.. f.Select(x => (long)x)];
        return null;
    }

    /// <summary>Integer value with every element known.</summary>
    private long[]? KnownInts(Tensor? t) => Ints(t) is { } v && !v.Contains(UnknownValue) ? v : null;

    internal double[]? Floats(Tensor? t)
    {
        if (t is null) return null;
        if (_floats.TryGetValue(t, out var v)) return v;
        if (t.IsConstant && t.Sparsity is null && t.Type.IsFloat() && (t.Data.Length > 0 || t.Shape.ElementCount == 0))
        {
            v = OnnxTensorData.AsDoubles(t.Type, t.Data.Span, MaxFoldElements);
            if (v is not null) _floats[t] = v;
            return v;
        }
        if (_ints.TryGetValue(t, out var iv) && !iv.Contains(UnknownValue)) return [.. iv.Select(x => (double)x)];
        return null;
    }

    private void FoldInts(Tensor? t, long[] values, string?[]? names = null)
    {
        if (t is null || values.Length > MaxFoldElements) return;
        _ints[t] = values;
        if (names is not null && names.Length == values.Length && names.Any(n => n is not null)) _valueNames[t] = names;
    }

    /// <summary>Symbolic names of the unknown entries of a folded shape value (from Shape of a tensor with dim_params).</summary>
    private string?[] ValueNames(Tensor? t, int length) =>
        t is not null && _valueNames.TryGetValue(t, out var n) && n.Length == length ? n : new string?[length];

    private void FoldFloats(Tensor? t, double[] values)
    {
        if (t is not null && values.Length <= MaxFoldElements) _floats[t] = values;
    }

    /// <summary>True for a constant, or a constant seen through DequantizeLinear/Cast (QDQ and fp16 weights).</summary>
    internal static bool IsConstantLike(Tensor? t)
    {
        for (var hops = 0; t is not null && hops < 4; hops++)
        {
            if (t.IsConstant) return true;
            if (t.Producer is { Kind: OpKind.Dequantize or OpKind.Cast } p) t = p.Input(0);
            else return false;
        }
        return false;
    }
}
