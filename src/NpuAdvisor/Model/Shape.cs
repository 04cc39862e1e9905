using System.Collections.Immutable;

namespace NpuAdvisor.Model;

/// <summary>
/// Tensor dimensions. A dimension of -1 is unknown (dynamic or not inferable).
/// <see cref="IsUnknownRank"/> distinguishes "rank unknown" from a scalar (rank 0).
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    public static readonly Shape Scalar = new(ImmutableArray<long>.Empty);
    public static readonly Shape UnknownRank = new(ImmutableArray<long>.Empty, unknownRank: true);

    public ImmutableArray<long> Dims { get; }
    public bool IsUnknownRank { get; }

    /// <summary>Symbolic names of dimensions where the source gave one (ONNX dim_param); null otherwise.</summary>
    public ImmutableArray<string?> DimNames { get; }

    public Shape(ImmutableArray<long> dims, bool unknownRank = false, ImmutableArray<string?> dimNames = default)
    {
        Dims = dims;
        IsUnknownRank = unknownRank;
        DimNames = dimNames.IsDefault ? ImmutableArray<string?>.Empty : dimNames;
    }

    public Shape(params long[] dims) : this(ImmutableArray.Create(dims)) { }

    public static Shape Of(IEnumerable<int> dims) => new(dims.Select(d => (long)d).ToImmutableArray());

    public int Rank => Dims.Length;
    public long this[int i] => Dims[i];

    /// <summary>True when the rank and every dimension are known.</summary>
    public bool IsFullyKnown => !IsUnknownRank && Dims.All(d => d >= 0);

    /// <summary>Element count, or null when any dimension is unknown. Saturates at long.MaxValue.</summary>
    public long? ElementCount
    {
        get
        {
            if (!IsFullyKnown) return null;
            // A zero anywhere empties the tensor, even after dimensions whose product alone would saturate.
            if (Dims.Contains(0)) return 0;
            long n = 1;
            foreach (var d in Dims)
            {
                if (d != 0 && n > long.MaxValue / d) return long.MaxValue;
                n *= d;
            }
            return n;
        }
    }

    /// <summary>Dimension counted from the end (-1 = last), or -1 when out of range/unknown.</summary>
    public long FromEnd(int k) => k <= Rank ? Dims[Rank - k] : -1;

    public bool Equals(Shape? other) =>
        other is not null && IsUnknownRank == other.IsUnknownRank && Dims.SequenceEqual(other.Dims);

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(IsUnknownRank);
        foreach (var d in Dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>"1×224×224×3"; unknown dimensions print as "?" (or their symbolic name), unknown rank as "?".</summary>
    public override string ToString()
    {
        if (IsUnknownRank) return "?";
        if (Rank == 0) return "scalar";
        return string.Join("×", Dims.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : (i < DimNames.Length && DimNames[i] is { } n ? n : "?")));
    }
}
