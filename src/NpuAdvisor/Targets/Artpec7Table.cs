using NpuAdvisor.Model;

namespace NpuAdvisor.Targets;

/// <summary>edgetpu_compiler v16's per-op status strings and the limits its operator table states.</summary>
internal static class Artpec7Status
{
    public const string Mapped = "Mapped to Edge TPU";
    public const string OtherwiseSupported = "Operation is otherwise supported, but not mapped due to some unspecified limitation";
    public const string MoreThanOneSubgraph = "More than one subgraph is not supported";
    public const string NotSupported = "Operation not supported";
    public const string UnsupportedDataType = "Operation is working on an unsupported data type";
    public const string UnsupportedRank = "Tensor has unsupported rank (up to 3 innermost dimensions mapped)";

    public const int MappedInnerDims = 3;
    public const int ConcatWithConstantInputs = 2;
    public const int MeanDepthMultiple = 4;
    public const int SoftmaxMaxElements = 16000;

    /// <summary>
    /// Largest per-axis upsampling factor of RESIZE_* seen mapped by a public compiler twin (MoveNet's 2× FPN upsamples);
    /// DeepLab's 15.5× and 33× resizes stay on the CPU. Coral publishes no exact limit.
    /// </summary>
    public const double MaxMappedUpsample = 2;

    /// <summary>Usable parameter cache: compiler logs show 6.86–6.91 MiB used+remaining of the ~8 MB (§1.5).</summary>
    public const double CacheMiB = 6.9;
    public const long ParameterCacheBytes = (long)(CacheMiB * 1024 * 1024);
}

/// <summary>The Edge TPU operator table (rules-anchors.md §1.2), in the table's order.</summary>
internal static class Artpec7OpTable
{
    /// <summary>Rows of the current Coral table the reference could not retrieve; counted as supported for runtime 14.</summary>
    public static readonly IReadOnlyList<OpKind> FromCurrentTableUnverified =
        [OpKind.Rsqrt, OpKind.SquaredDifference, OpKind.Sum, OpKind.Transpose, OpKind.TransposeConv];

    /// <summary>Builtins the table does not list that Coral's own compiled twins map (google-coral/test_data).</summary>
    public static readonly IReadOnlyList<OpKind> MappedInCompiledTwins = [OpKind.Tile];

    public static readonly IReadOnlyList<OpKind> Rows =
    [
        OpKind.Add, OpKind.AveragePool2D, OpKind.Concatenation, OpKind.Conv2D, OpKind.DepthwiseConv2D, OpKind.ExpandDims,
        OpKind.FullyConnected, OpKind.L2Normalization, OpKind.Logistic, OpKind.Lstm, OpKind.UnidirectionalSequenceLstm, OpKind.BidirectionalSequenceLstm,
        OpKind.Maximum, OpKind.Minimum, OpKind.Mul, OpKind.MaxPool2D, OpKind.Mean, OpKind.Pack, OpKind.Pad, OpKind.PRelu,
        OpKind.Quantize, OpKind.ReduceMax, OpKind.ReduceMin, OpKind.Relu, OpKind.Relu6, OpKind.ReluN1To1, OpKind.Reshape,
        OpKind.ResizeBilinear, OpKind.ResizeNearestNeighbor, OpKind.Slice, OpKind.Softmax, OpKind.SpaceToDepth, OpKind.Split,
        OpKind.Squeeze, OpKind.StridedSlice, OpKind.Sub, OpKind.Tanh,
        .. FromCurrentTableUnverified, .. MappedInCompiledTwins,
    ];

    public static readonly IReadOnlySet<OpKind> Supported = Rows.ToHashSet();
}
