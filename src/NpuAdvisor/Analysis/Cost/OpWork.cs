using NpuAdvisor.Model;

namespace NpuAdvisor.Analysis.Cost;

/// <summary>How the cost model treats an op's work.</summary>
public enum WorkClass
{
    /// <summary>Regular, grouped or transposed convolution, fully connected, batch matmul: MAC-bound work.</summary>
    Convolution,
    Depthwise,
    /// <summary>Explicit PAD: a separate pass over the feature map.</summary>
    Pad,
    /// <summary>A standalone activation: a separate pass unless fused.</summary>
    Activation,
    /// <summary>Element-wise arithmetic, pooling, reductions, (de)quantization: per-element work on the vector unit.</summary>
    Vector,
    /// <summary>Reshape-like ops that only relabel the tensor.</summary>
    Layout,
    /// <summary>Ops that only move data: concatenation, slicing, transpose, resize, gather, a reshape that re-tiles the channels.</summary>
    Move,
    /// <summary>Custom detection post-processing (box decoding and non-max suppression), priced from its options.</summary>
    PostProcess,
}

/// <summary>
/// The work one op (or one piece of a what-if replacement) asks of the hardware, in the units the cost
/// model prices: MACs, channels, kernel, strides, bytes. What-if fixes are expressed as modified works.
/// </summary>
public sealed record OpWork
{
    public required WorkClass Class { get; init; }
    public long Macs { get; init; }
    /// <summary>Output channels (lanes the NPU fills), 0 when not a channelled op.</summary>
    public long OutChannels { get; init; }
    public int KernelH { get; init; } = 1;
    public int KernelW { get; init; } = 1;
    public int StrideH { get; init; } = 1;
    public int StrideW { get; init; } = 1;
    public bool PerChannel { get; init; }
    public bool FloatCompute { get; init; }
    /// <summary>Feature-map bytes read and written.</summary>
    public long InBytes { get; init; }
    public long OutBytes { get; init; }
    /// <summary>The largest single run-time input and output tensor: what decides whether a side fits the on-chip buffer.</summary>
    public long InMaxTensorBytes { get; init; }
    public long OutMaxTensorBytes { get; init; }
    /// <summary>Constant (parameter) bytes.</summary>
    public long ParamBytes { get; init; }
    /// <summary>CPU work units when the op runs on the CPU (MACs, or elements × window for non-MAC ops).</summary>
    public long CpuWork { get; init; }
    /// <summary>Output elements × window: the per-element work of a vector, activation or move op.</summary>
    public long Elements { get; init; }
    /// <summary>Innermost (channel) dimension of the output: vector lanes run along it.</summary>
    public long Innermost { get; init; }
    /// <summary>An explicit PAD of at most <see cref="MaxFoldedPad"/> per side whose every consumer is a convolution or pool.</summary>
    public bool FoldablePad { get; init; }
    /// <summary>A transcendental function (sigmoid, tanh, exp, softmax…): a lookup or polynomial per element, not an add.</summary>
    public bool Transcendental { get; init; }
    /// <summary>Work units of a detection post-process: anchor × class score reads plus the NMS comparisons (see <see cref="DetectionPostProcess"/>).</summary>
    public double PostProcessUnits { get; init; }

    private static readonly HashSet<OpKind> LayoutKinds =
        [OpKind.Reshape, OpKind.Squeeze, OpKind.ExpandDims, OpKind.Identity, OpKind.Flatten, OpKind.Shape];

    private static readonly HashSet<OpKind> ActivationKinds =
    [
        OpKind.Relu, OpKind.Relu6, OpKind.ReluN1To1, OpKind.Relu0To1, OpKind.LeakyRelu, OpKind.PRelu, OpKind.Logistic,
        OpKind.Tanh, OpKind.HardSwish, OpKind.HardSigmoid, OpKind.Gelu, OpKind.Elu, OpKind.Clip,
    ];

    private static readonly HashSet<OpKind> MoveKinds =
    [
        OpKind.Concatenation, OpKind.Pack, OpKind.Unpack, OpKind.Split, OpKind.SplitV, OpKind.Slice, OpKind.StridedSlice,
        OpKind.Transpose, OpKind.Gather, OpKind.GatherNd, OpKind.Tile, OpKind.BroadcastTo, OpKind.ResizeBilinear,
        OpKind.ResizeNearestNeighbor, OpKind.DepthToSpace, OpKind.SpaceToDepth, OpKind.SpaceToBatchNd, OpKind.BatchToSpaceNd,
        OpKind.ReverseV2,
    ];

    private static readonly HashSet<OpKind> TranscendentalKinds =
    [
        OpKind.Logistic, OpKind.Tanh, OpKind.HardSwish, OpKind.HardSigmoid, OpKind.Gelu, OpKind.Elu, OpKind.Softmax,
        OpKind.LogSoftmax, OpKind.Exp, OpKind.Log, OpKind.Sqrt, OpKind.Rsqrt, OpKind.Sin, OpKind.Cos, OpKind.Pow, OpKind.Div,
        OpKind.L2Normalization, OpKind.LocalResponseNormalization,
    ];

    public static WorkClass ClassOf(OpKind kind) => kind switch
    {
        _ when MoveKinds.Contains(kind) => WorkClass.Move,
        OpKind.Conv2D or OpKind.Conv3D or OpKind.TransposeConv or OpKind.FullyConnected or OpKind.BatchMatMul => WorkClass.Convolution,
        OpKind.DepthwiseConv2D => WorkClass.Depthwise,
        OpKind.Pad or OpKind.PadV2 or OpKind.MirrorPad => WorkClass.Pad,
        _ when ActivationKinds.Contains(kind) => WorkClass.Activation,
        _ when LayoutKinds.Contains(kind) => WorkClass.Layout,
        _ => WorkClass.Vector,
    };

    /// <summary>
    /// The op's work after full-integer quantization: float tensors stored in 8 bits (a convolution's or fully
    /// connected layer's bias in 32), integer compute.
    /// </summary>
    public static OpWork Quantized(OpResult r, OpWork w)
    {
        var op = r.Op;
        long inBytes = 0, outBytes = 0, paramBytes = 0, inMax = 0, outMax = 0;
        for (var i = 0; i < op.Outputs.Count; i++)
        {
            var bytes = QuantizedBytes(op.Outputs[i], bias: false);
            outBytes += bytes;
            outMax = Math.Max(outMax, bytes);
        }
        for (var i = 0; i < op.Inputs.Count; i++)
        {
            if (op.Inputs[i] is not { } t) continue;
            var bytes = QuantizedBytes(t, bias: i == 2 && Metrics.HasWeights(op.Kind));
            if (t.IsConstant) paramBytes += t.Type.IsFloat() || t.Data.Length == 0 ? bytes : t.Data.Length;
            else if (PreparedParameterBytes(t) is not null) paramBytes += bytes;
            else
            {
                inBytes += bytes;
                inMax = Math.Max(inMax, bytes);
            }
        }
        return w with
        {
            FloatCompute = false, InBytes = inBytes, OutBytes = outBytes, ParamBytes = paramBytes, InMaxTensorBytes = inMax, OutMaxTensorBytes = outMax,
        };
    }

    /// <summary>
    /// An input computed from a stored constant at prepare time (fp16 or sparse weights behind DEQUANTIZE/DENSIFY,
    /// QDQ weights): the bytes the runtime keeps as a parameter; null for a run-time tensor. A float tensor that
    /// carries quantization is a QDQ pair the runtime fuses back to the stored integers; otherwise the unpacked
    /// tensor is what stays in memory.
    /// </summary>
    private static long? PreparedParameterBytes(Tensor t)
    {
        if (Metrics.StoredWeights(t) is not { IsConstant: true } stored || stored == t) return null;
        return t.Quantization.IsQuantized ? stored.ByteSize ?? 0 : t.ByteSize ?? 0;
    }

    /// <summary>A tensor's bytes once quantized: floats take one byte per element (four for a bias); other types keep their size.</summary>
    public static long QuantizedBytes(Tensor t, bool bias) =>
        t.Type.IsFloat() && t.Shape.ElementCount is { } n ? n * (bias ? 4 : 1) : t.ByteSize ?? 0;

    /// <summary>The work of an op as it stands in the graph.</summary>
    public static OpWork Of(OpResult r, TensorLayout layout)
    {
        var op = r.Op;
        var cls = ClassOf(op.Kind);
        var output = op.Output(0);
        if (cls == WorkClass.Layout && MovesData(op)) cls = WorkClass.Move;
        double postProcess = 0;
        if (op.Kind == OpKind.Custom && DetectionPostProcess.Read(op) is { } dpp)
        {
            cls = WorkClass.PostProcess;
            postProcess = dpp.WorkUnits;
        }
        long outElems = 0, outBytes = 0, inBytes = 0, paramBytes = 0, inMax = 0, outMax = 0;
        // Index loops: these lists are interfaces, and foreach would box an enumerator per op on every estimate.
        for (var i = 0; i < op.Outputs.Count; i++)
        {
            var t = op.Outputs[i];
            outElems += t.Shape.ElementCount ?? 0;
            outBytes += t.ByteSize ?? 0;
            outMax = Math.Max(outMax, t.ByteSize ?? 0);
        }
        for (var i = 0; i < op.Inputs.Count; i++)
        {
            if (op.Inputs[i] is not { } t) continue;
            if (t.IsConstant) paramBytes += t.Data.Length is > 0 and var n ? n : t.ByteSize ?? 0;
            else if (PreparedParameterBytes(t) is { } prepared) paramBytes += prepared;
            else
            {
                inBytes += t.ByteSize ?? 0;
                inMax = Math.Max(inMax, t.ByteSize ?? 0);
            }
        }
        long outC = output is null ? 0 : FeatureMaps.Logical(layout, output)?.C ?? (output.Shape.Rank > 0 ? Math.Max(0, output.Shape.FromEnd(1)) : 0);
        int kh = 1, kw = 1, sh = 1, sw = 1;
        switch (op.Attributes)
        {
            case ConvAttributes c:
                (kh, kw, sh, sw) = (Math.Max(1, c.KernelH), Math.Max(1, c.KernelW), Math.Max(1, c.StrideH), Math.Max(1, c.StrideW));
                break;
            case PoolAttributes p:
                (kh, kw, sh, sw) = (Math.Max(1, p.FilterH), Math.Max(1, p.FilterW), Math.Max(1, p.StrideH), Math.Max(1, p.StrideW));
                break;
        }
        var weights = Metrics.StoredWeights(op.Weights());
        var window = op.Attributes is PoolAttributes pool
            ? (pool.IsGlobal ? Math.Max(1, (op.Input(0)?.Shape.ElementCount ?? 1) / Math.Max(1, outElems)) : (long)kh * kw)
            : 1;
        return new OpWork
        {
            Class = cls,
            Macs = Math.Max(0, r.Macs),
            OutChannels = outC,
            KernelH = kh, KernelW = kw, StrideH = sh, StrideW = sw,
            PerChannel = Metrics.Classify(weights) == WeightQuantization.PerChannel,
            FloatCompute = op.Input(0) is { } x && x.Type.IsFloat() && Metrics.HasWeights(op.Kind),
            InBytes = inBytes,
            OutBytes = outBytes,
            InMaxTensorBytes = inMax,
            OutMaxTensorBytes = outMax,
            // As Metrics.ParameterBytes counts them: stored bytes, or the shape's size when the data is external.
            ParamBytes = paramBytes,
            CpuWork = Math.Max(Math.Max(0, r.Macs), outElems * window),
            Elements = outElems * window,
            Innermost = output is { Shape.Rank: > 0 } ? Math.Max(1, output.Shape.FromEnd(1)) : 1,
            FoldablePad = cls == WorkClass.Pad && Foldable(op),
            Transcendental = TranscendentalKinds.Contains(op.Kind),
            PostProcessUnits = postProcess,
        };
    }

    /// <summary>AMLNN tips (hardware-notes.md): padding of up to 7 per side is free in the NN core.</summary>
    public const int MaxFoldedPad = 7;

    private static bool Foldable(Operator op)
    {
        if (op.Attributes is not PadAttributes { Paddings: { } pads } || op.Output(0) is not { } y || y.Consumers.Count == 0) return false;
        foreach (var (before, after) in pads) if (before > MaxFoldedPad || after > MaxFoldedPad || before < 0 || after < 0) return false;
        foreach (var c in y.Consumers)
            if (c.Kind is not (OpKind.Conv2D or OpKind.DepthwiseConv2D or OpKind.MaxPool2D or OpKind.AveragePool2D)) return false;
        return true;
    }

    /// <summary>
    /// A reshape re-tiles the data when it changes the innermost (channel) dimension of a tensor with more than one
    /// non-unit dimension: NPUs keep feature maps in channel-blocked layouts, so [1,20,20,255]→[1,400,3,85] is a copy,
    /// while [1,1,1,1001]→[1,1001] or a squeeze of unit dimensions only relabels.
    /// </summary>
    private static bool MovesData(Operator op)
    {
        if (op.Kind is not (OpKind.Reshape or OpKind.Flatten) || op.Input(0) is not { } x || op.Output(0) is not { } y) return false;
        if (x.Shape.Rank == 0 || y.Shape.Rank == 0) return false;
        if (x.Shape.FromEnd(1) == y.Shape.FromEnd(1)) return false;
        var nonUnit = 0;
        for (var i = 0; i < x.Shape.Rank; i++) if (x.Shape[i] > 1) nonUnit++;
        return nonUnit > 1;
    }
}
