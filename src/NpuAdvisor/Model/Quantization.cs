using System.Collections.Immutable;

namespace NpuAdvisor.Model;

public enum QuantizationKind { None, PerTensor, PerAxis }

/// <summary>Affine quantization: real = scale · (q − zero_point), per tensor or per slice of one axis.</summary>
public sealed class Quantization
{
    public static readonly Quantization None = new(ImmutableArray<float>.Empty, ImmutableArray<long>.Empty, 0);

    public ImmutableArray<float> Scales { get; }
    public ImmutableArray<long> ZeroPoints { get; }

    /// <summary>Axis the scales run along when per-axis (TFLite quantized_dimension, ONNX axis).</summary>
    public int Axis { get; }

    /// <summary>Calibration range where the file records it (TFLite min/max); empty otherwise.</summary>
    public ImmutableArray<float> Min { get; init; } = ImmutableArray<float>.Empty;
    public ImmutableArray<float> Max { get; init; } = ImmutableArray<float>.Empty;

    /// <summary>True when the file used a custom/blockwise scheme the analyser does not interpret.</summary>
    public bool HasCustomDetails { get; init; }

    public Quantization(ImmutableArray<float> scales, ImmutableArray<long> zeroPoints, int axis)
    {
        Scales = scales.IsDefault ? ImmutableArray<float>.Empty : scales;
        ZeroPoints = zeroPoints.IsDefault ? ImmutableArray<long>.Empty : zeroPoints;
        Axis = axis;
    }

    public static Quantization PerTensor(float scale, long zeroPoint) =>
        new(ImmutableArray.Create(scale), ImmutableArray.Create(zeroPoint), 0);

    public static Quantization PerAxis(IEnumerable<float> scales, IEnumerable<long> zeroPoints, int axis) =>
        new(scales.ToImmutableArray(), zeroPoints.ToImmutableArray(), axis);

    public QuantizationKind Kind => Scales.Length switch
    {
        0 => QuantizationKind.None,
        1 => QuantizationKind.PerTensor,
        _ => QuantizationKind.PerAxis,
    };

    public bool IsQuantized => Scales.Length > 0;

    /// <summary>First scale (the only one when per-tensor); NaN when not quantized.</summary>
    public float Scale => Scales.Length > 0 ? Scales[0] : float.NaN;
    public long ZeroPoint => ZeroPoints.Length > 0 ? ZeroPoints[0] : 0;

    public bool SameAs(Quantization other) =>
        Scales.SequenceEqual(other.Scales) && ZeroPoints.SequenceEqual(other.ZeroPoints);

    public override string ToString() => Kind switch
    {
        QuantizationKind.None => "none",
        QuantizationKind.PerTensor => FormattableString.Invariant($"scale {Scale:G6} zp {ZeroPoint}"),
        _ => FormattableString.Invariant($"per-axis({Scales.Length}) axis {Axis}"),
    };
}
