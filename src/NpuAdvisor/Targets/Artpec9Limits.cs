using NpuAdvisor.Model;

namespace NpuAdvisor.Targets;

/// <summary>The numbers in ARTPEC-9's operator table (the Arm Ethos-N support library's limits).</summary>
internal static class Artpec9Limits
{
    public const int MaxRank = 4;
    public const int Batch = 1;
    public static readonly IReadOnlyList<int> KernelSizes = [1, 2, 3, 5, 7, 9];
    public static readonly IReadOnlyList<int> ConvStrides = [1, 2];
    public const int LargeKernel = 7;
    public const int TransposeConvStride = 2;
    public const double MaxOverallScale = 65536;
    public const int RequantizeRatio = 128;
    public const int ChannelMultiple = 16;
    public const int DepthToSpaceBlock = 2;
    public const int MaxPadding = 7;
    public const int MaxPool3x3MaxWidth = 417;
    public const int MaxPoolStride1Valid = 9;
    public const int MaxPoolStride1Same = 17;
    public static readonly IReadOnlyList<int> MeanSizes = [7, 8];
    public const int AvgPoolKernel = 3;

    /// <summary>SRAM the support library's own tests use (8·8·C must fit: C ≤ 16384). ARTPEC-9's SRAM is not published.</summary>
    public const long SramBytes = 1024 * 1024;
    public const int DepthChunk = 8 * 8;

    /// <summary>Arm NN's BuildEthosNBiasesInfo accepts a bias scale within 1% of input scale × weight scale (then uses the exact product).</summary>
    public const double BiasScaleTolerance = 0.01;
    /// <summary>The identity weight of Arm NN's constant-add → depthwise replacement is 1/n with n ≤ 255, so output/input scale must reach 1/255.</summary>
    public const int AddDepthwiseMaxWeight = 255;
    /// <summary>Scalar ADD as ReinterpretQuantization: |output scale − input scale| below this (EthosNLayerSupport.cpp).</summary>
    public const double ScalarAddScaleTolerance = 0.00001;
    /// <summary>Scalar ADD: the zero point the added value implies must lie within this of the output's (EthosNReplaceUnsupported.cpp).</summary>
    public const double ScalarAddZeroPointTolerance = 1.0;
    /// <summary>Scalar MUL: |input scale × scalar − output scale| up to this (EthosNReplaceUnsupported.cpp: "1/255 = 0.0039").</summary>
    public const double ScalarMulScaleTolerance = 0.004;

    public const double SigmoidScale = 1.0 / 256;
    public const double TanhScale = 1.0 / 128;

    public static string Set(IEnumerable<int> values) => "{ " + string.Join(", ", values) + " }";

    public static string Join(IEnumerable<OpKind> kinds) => string.Join(", ", kinds.Select(OpKindNames.Of));

    /// <summary>The seed's ARTPEC-9 operator table as TFLite builtins, in the table's order.</summary>
    public static readonly IReadOnlyList<OpKind> Table =
    [
        OpKind.Add, OpKind.AveragePool2D, OpKind.Concatenation, OpKind.Conv2D, OpKind.DepthToSpace, OpKind.DepthwiseConv2D,
        OpKind.FullyConnected, OpKind.LeakyRelu, OpKind.MaxPool2D, OpKind.Mean, OpKind.Mul, OpKind.Pad, OpKind.PadV2,
        OpKind.Relu, OpKind.Relu6, OpKind.ReluN1To1, OpKind.Quantize, OpKind.Reshape, OpKind.Squeeze, OpKind.ExpandDims,
        OpKind.ResizeBilinear, OpKind.ResizeNearestNeighbor, OpKind.Logistic, OpKind.Split, OpKind.SplitV, OpKind.Tanh,
        OpKind.TransposeConv,
    ];

    public static readonly IReadOnlySet<OpKind> Supported = Table.ToHashSet();

    /// <summary>
    /// Ops the Arm NN CpuAcc backend ("armnn-cpu-tflite", Accelerated CPU) runs: the rows of Axis's
    /// Accelerated CPU table that could be read (ABS … FULLY_CONNECTED) plus the older Arm NN TFLite
    /// delegate's fully supported list, which later lists (and Axis's copy) keep.
    /// </summary>
    public static readonly IReadOnlyList<OpKind> CpuAccelerated =
    [
        OpKind.Abs, OpKind.Add, OpKind.ArgMax, OpKind.ArgMin, OpKind.AveragePool2D, OpKind.BatchMatMul, OpKind.BatchToSpaceNd,
        OpKind.BroadcastTo, OpKind.Cast, OpKind.Ceil, OpKind.Concatenation, OpKind.Conv2D, OpKind.Conv3D, OpKind.DepthToSpace,
        OpKind.DepthwiseConv2D, OpKind.Dequantize, OpKind.Div, OpKind.Equal, OpKind.Elu, OpKind.Exp, OpKind.ExpandDims,
        OpKind.Fill, OpKind.Floor, OpKind.FloorDiv, OpKind.FullyConnected,
        OpKind.Greater, OpKind.GreaterEqual, OpKind.Less, OpKind.LessEqual, OpKind.Logistic, OpKind.LogSoftmax, OpKind.L2Pool2D,
        OpKind.Maximum, OpKind.MaxPool2D, OpKind.Mean, OpKind.Minimum, OpKind.Mul, OpKind.Neg, OpKind.NotEqual, OpKind.Quantize,
        OpKind.Reshape, OpKind.ResizeBilinear, OpKind.ResizeNearestNeighbor, OpKind.Relu, OpKind.Relu6, OpKind.Rsqrt,
        OpKind.Softmax, OpKind.Sqrt, OpKind.Sub, OpKind.Tanh, OpKind.Transpose, OpKind.TransposeConv,
    ];

    public static readonly IReadOnlySet<OpKind> CpuAcceleratedSet = CpuAccelerated.ToHashSet();

    /// <summary>Fused activations CpuAcc accepts (Axis: RELU, RELU6, RELU_N1_TO_1, SIGMOID, TANH, NONE).</summary>
    public static bool CpuAccActivation(FusedActivation a) => a != FusedActivation.SignBit;

    /// <summary>Lower and upper multiples of <paramref name="m"/> around <paramref name="n"/> (the lower one omitted when 0).</summary>
    public static string Nearest(long n, int m)
    {
        var lo = n / m * m;
        var hi = lo + m;
        return lo > 0 ? $"{lo} or {hi}" : $"{hi}";
    }
}
