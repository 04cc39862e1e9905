using System.Diagnostics.CodeAnalysis;

namespace NpuAdvisor.Model;

/// <summary>Activation fused into an operator's output (a clamp in quantized kernels).</summary>
public enum FusedActivation { None, Relu, ReluN1To1, Relu6, Tanh, SignBit }

public enum PaddingKind { Same, Valid, Explicit }

/// <summary>Padding of the two spatial axes. For SAME/VALID the amounts are what the op effectively applies (computed by the importer when shapes are known).</summary>
public readonly record struct Padding2D(PaddingKind Kind, int Top, int Bottom, int Left, int Right)
{
    public static readonly Padding2D Valid = new(PaddingKind.Valid, 0, 0, 0, 0);
    public static Padding2D Same(int top, int bottom, int left, int right) => new(PaddingKind.Same, top, bottom, left, right);
    public int Max => Math.Max(Math.Max(Top, Bottom), Math.Max(Left, Right));
    public bool IsZero => Top == 0 && Bottom == 0 && Left == 0 && Right == 0;
}

/// <summary>Base of the typed attributes an operator carries. Ops with no attributes the analyser uses have none (null).</summary>
/// <remarks>
/// Reports list an op's attributes from their public properties; the annotation keeps those properties on every
/// derived record under trimming and native AOT, so that listing needs no per-record code.
/// </remarks>
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
public abstract record OpAttributes;

/// <summary>CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV (and ONNX Conv/ConvTranspose). Kernel is read from the weights.</summary>
public sealed record ConvAttributes(
    int KernelH, int KernelW,
    int StrideH, int StrideW,
    int DilationH, int DilationW,
    Padding2D Padding,
    FusedActivation Activation,
    int DepthMultiplier = 1,
    int Groups = 1) : OpAttributes;

/// <summary>AVERAGE/MAX/L2_POOL_2D; <see cref="IsGlobal"/> for ONNX GlobalXxxPool (filter = input H×W).</summary>
public sealed record PoolAttributes(
    int FilterH, int FilterW, int StrideH, int StrideW, Padding2D Padding, FusedActivation Activation, bool IsGlobal = false) : OpAttributes;

public sealed record FullyConnectedAttributes(FusedActivation Activation, bool KeepNumDims, bool ShuffledWeights = false) : OpAttributes;

/// <summary>ADD, SUB, MUL, DIV and other binary ops with a fused activation.</summary>
public sealed record ElementwiseAttributes(FusedActivation Activation) : OpAttributes;

/// <summary>CONCATENATION, PACK/UNPACK, SPLIT/SPLIT_V, GATHER, SOFTMAX (axis), ARG_MAX… Axis is as written (may be negative).</summary>
public sealed record AxisAttributes(int Axis, FusedActivation Activation = FusedActivation.None, int Count = 0) : OpAttributes;

public sealed record SoftmaxAttributes(float Beta, int Axis = -1) : OpAttributes;

/// <summary>MEAN, SUM, REDUCE_*: axes when they are constant (null otherwise).</summary>
public sealed record ReduceAttributes(IReadOnlyList<int>? Axes, bool KeepDims) : OpAttributes;

public enum ResizeMode { NearestNeighbor, Bilinear }

/// <summary>RESIZE_*: output H/W when known (-1 otherwise).</summary>
public sealed record ResizeAttributes(ResizeMode Mode, bool AlignCorners, bool HalfPixelCenters, int OutH = -1, int OutW = -1) : OpAttributes;

/// <summary>PAD/PADV2/MIRROR_PAD: (before, after) per dimension when constant.</summary>
public sealed record PadAttributes(IReadOnlyList<(long Before, long After)>? Paddings, bool Mirror = false) : OpAttributes;

public sealed record StridedSliceAttributes(
    int BeginMask, int EndMask, int EllipsisMask, int NewAxisMask, int ShrinkAxisMask,
    IReadOnlyList<long>? Begin, IReadOnlyList<long>? End, IReadOnlyList<long>? Strides, bool Offset = false) : OpAttributes;

public sealed record BlockAttributes(int BlockSize) : OpAttributes;

public sealed record LeakyReluAttributes(float Alpha) : OpAttributes;

/// <summary>ONNX Clip and similar bounded activations.</summary>
public sealed record ClipAttributes(float Min, float Max) : OpAttributes;

public sealed record ReshapeAttributes(IReadOnlyList<long>? NewShape) : OpAttributes;

public sealed record SqueezeAttributes(IReadOnlyList<int> Axes) : OpAttributes;

public sealed record TransposeAttributes(IReadOnlyList<int>? Permutation) : OpAttributes;

public sealed record LstmAttributes(FusedActivation Activation, float CellClip, float ProjClip, bool TimeMajor, bool Bidirectional = false) : OpAttributes;

public sealed record BatchMatMulAttributes(bool AdjX, bool AdjY) : OpAttributes;

/// <summary>IF/WHILE/CALL_ONCE/Loop/Scan: indices of the subgraphs holding the bodies.</summary>
public sealed record ControlFlowAttributes(IReadOnlyList<int> BodySubgraphs) : OpAttributes;
