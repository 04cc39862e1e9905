using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Targets;

/// <summary>
/// The support checks of VeriSilicon's TFLite vx-delegate, the run-time path of both ARTPEC-8's DLPU and
/// Amlogic's NPU (rules-anchors.md §4). Facts come from op_map.cc at commit 469adc01: the registry of
/// mappers (an op without one logs "Fallback unsupported op N to TfLite" in delegate_main.cc), the base
/// tensor checks every mapper runs, and each mapper's IsOpSupported. Each target gets its own copies
/// under its id prefix.
/// </summary>
public sealed class VeriSiliconDelegate
{
    public const string OpMap = "github VeriSilicon/tflite-vx-delegate@469adc01 op_map.cc";
    public const int MaxRank = 6;
    public const int MaxSpatialDim = 65535;

    /// <summary>TFLite builtins with a mapper in op_map.cc's registry (SELECT and SELECT_V2 share Select).</summary>
    public static readonly IReadOnlySet<OpKind> Mapped = new HashSet<OpKind>
    {
        OpKind.FullyConnected, OpKind.Softmax, OpKind.Conv2D, OpKind.MaxPool2D, OpKind.AveragePool2D,
        OpKind.DepthwiseConv2D, OpKind.Dequantize, OpKind.Quantize, OpKind.Concatenation,
        OpKind.LocalResponseNormalization, OpKind.L2Normalization, OpKind.Reshape, OpKind.StridedSlice, OpKind.Pad,
        OpKind.ExpandDims, OpKind.OneHot, OpKind.Abs, OpKind.Sin, OpKind.Exp, OpKind.Log, OpKind.Sqrt, OpKind.Rsqrt,
        OpKind.Square, OpKind.Floor, OpKind.FloorDiv, OpKind.Greater, OpKind.GreaterEqual, OpKind.Less,
        OpKind.LessEqual, OpKind.NotEqual, OpKind.Equal, OpKind.LogicalNot, OpKind.HardSwish, OpKind.Minimum,
        OpKind.Maximum, OpKind.Add, OpKind.Sub, OpKind.Div, OpKind.Mul, OpKind.Pow, OpKind.ResizeNearestNeighbor,
        OpKind.ResizeBilinear, OpKind.AddN, OpKind.Split, OpKind.Squeeze, OpKind.SpaceToDepth, OpKind.DepthToSpace,
        OpKind.PRelu, OpKind.Elu, OpKind.Relu, OpKind.ReluN1To1, OpKind.Relu6, OpKind.Logistic, OpKind.Transpose,
        OpKind.BatchMatMul, OpKind.Rnn, OpKind.Neg, OpKind.Tanh, OpKind.Gather, OpKind.GatherNd,
        OpKind.UnidirectionalSequenceLstm, OpKind.BidirectionalSequenceLstm, OpKind.BatchToSpaceNd,
        OpKind.SpaceToBatchNd, OpKind.ReverseV2, OpKind.ReduceMin, OpKind.Sum, OpKind.ReduceMax, OpKind.ReduceAny,
        OpKind.ReduceProd, OpKind.Mean, OpKind.LeakyRelu, OpKind.LogicalAnd, OpKind.LogicalOr, OpKind.Slice,
        OpKind.SplitV, OpKind.TransposeConv, OpKind.Select, OpKind.Pack, OpKind.Unpack, OpKind.ArgMin, OpKind.ArgMax,
        OpKind.Conv3D, OpKind.Shape,
    };

    public const string OnnxEp = "github microsoft/onnxruntime@d5781273 onnxruntime/core/providers/vsinpu/builders/op_builder_factory.h";

    /// <summary>
    /// Ops only ONNX graphs carry (TFLite has no such builtin) that the same NPU's ONNX Runtime VSINPU
    /// execution provider registers a builder for; they need no format switch because a TFLite graph never has them.
    /// </summary>
    public static readonly IReadOnlySet<OpKind> OnnxOnlyMapped = new HashSet<OpKind>
    {
        OpKind.BatchNormalization, OpKind.HardSigmoid, OpKind.Clip, OpKind.Flatten,
    };

    public static bool IsMapped(OpKind kind) => Mapped.Contains(kind) || OnnxOnlyMapped.Contains(kind);

    // TFLite LSTM input slots (lstm_shared.h / op_map.cc constants).
    private const int LstmOutputState = 18, LstmCellState = 19;
    private const int BiLstmFwInputToInputWeights = 1, BiLstmFwProjectionWeights = 16, BiLstmFwAuxInputToCellWeights = 42;

    public Rule NoMapper { get; }
    public Rule Tensors { get; }
    public Rule Hybrid { get; }
    public Rule ConstantParameters { get; }
    public Rule Attributes { get; }
    public Rule Types { get; }

    public VeriSiliconDelegate(string prefix, string targetName)
    {
        NoMapper = new Rule($"{prefix}-VX-NO-MAPPER", RuleKind.Unsupported,
            "Operators the vx-delegate has no mapper for fall back to the CPU",
            $"{targetName} runs TFLite through VeriSilicon's vx-delegate; an operator without a mapper in its registry ({Mapped.Count} builtins) is left to the TFLite CPU kernels, logged as \"Fallback unsupported op N to TfLite\". ONNX-only operators count as mapped when the VSINPU execution provider has a builder for them ({string.Join(", ", OnnxOnlyMapped.Select(OpKindNames.Of))}).",
            "Replace the op by one the delegate maps, or move it to the end of the graph.",
            $"{OpMap} (registry `reg`), delegate_main.cc Delegate::SupportedOp; {OnnxEp}; rules-anchors.md §4", FixKind.MoveToNpu);
        Tensors = new Rule($"{prefix}-VX-TENSOR", RuleKind.Unsupported,
            "Tensor types and shapes the vx-delegate refuses for every op",
            $"Before any op-specific check the delegate refuses an op if any input is int64 or string, constant or not: paddings, axes, indices or shapes written as int64 send PAD, GATHER, EXPAND_DIMS, MEAN, RESHAPE… to the CPU (int32 is accepted). In a graph whose format prescribes int64 for constant index parameters (ONNX), such constants outside the data input are judged as the int32 a conversion to TFLite writes. Also refused: an input of rank > {MaxRank}, a dimension of 0, an input height/width/channel dimension > {MaxSpatialDim}, an int16 or int64 output, or (for RESHAPE, TRANSPOSE, PAD, TRANSPOSE_CONV, ARG_MIN/MAX) an output whose shape is only known at run time.",
            "Export with static shapes, int8/uint8 (or float) tensors, and at most 6 dimensions.",
            $"{OpMap} OpMapperBase::IsSupported and the dynamic-shape checks of the Reshape/Transpose/Pad/TransposeConv/Arg mappers");
        Hybrid = new Rule($"{prefix}-VX-HYBRID", RuleKind.Unsupported,
            "Hybrid convolution / fully connected (weights of another type than the input) run on the CPU",
            $"CONV_2D, DEPTHWISE_CONV_2D, CONV_3D and FULLY_CONNECTED are refused when the input and weight tensors have different types (e.g. float input with int8 dynamic-range weights).",
            "Quantize the activations too (full integer quantization), or keep the weights float.",
            $"{OpMap} Conv2dMapper/DepthwiseConv2dMapper/Conv3dMapper/FullyConnectedMapper IsOpSupported (\"hybrid data type is not supported\")");
        ConstantParameters = new Rule($"{prefix}-VX-CONST-PARAM", RuleKind.Unsupported,
            "Shape-like parameters must be constants",
            $"The delegate maps only constant parameters: STRIDED_SLICE begin/end/strides, SLICE begin/size, RESIZE size, reduction axes (MEAN, SUM, REDUCE_*), EXPAND_DIMS axis, REVERSE_V2 axis, ONE_HOT depth and CONV_3D weights.",
            "Fold the parameter into a constant at export time (fixed input size).",
            $"{OpMap} StridedSliceMapper, Slice, ResizeMapper, ReduceOpMapper, ExpandDimsMapper, ReverseV2, OneHotMapper, Conv3dMapper IsOpSupported");
        Attributes = new Rule($"{prefix}-VX-ATTRIBUTE", RuleKind.Unsupported,
            "Operator attributes the vx-delegate refuses",
            $"Refused configurations: STRIDED_SLICE with new_axis_mask or ellipsis_mask; FULLY_CONNECTED with shuffled weights; grouped CONV_2D with batch > 1; SLICE across the batch of a tensor of rank > 3; BATCH_MATMUL with adj_x and adj_y both set; BATCH_TO_SPACE_ND/SPACE_TO_BATCH_ND other than 4-D with 2 block dimensions; SELECT whose condition rank differs from the input rank; CONV_3D with dilation > 1; BIDIRECTIONAL_SEQUENCE_LSTM with projection or auxiliary weights.",
            "Rewrite the op in the supported form (e.g. RESHAPE instead of new_axis_mask, batch 1).",
            $"{OpMap} StridedSliceMapper, FullyConnectedMapper, Conv2dMapper, Slice, BatchMatmul, Batch2Space, Space2Batch, Select, Conv3dMapper, BidirectionalSequenceLstm IsOpSupported");
        Types = new Rule($"{prefix}-VX-TYPES", RuleKind.Unsupported,
            "Operator type combinations the vx-delegate refuses",
            $"Refused type combinations: int16 inputs of FULLY_CONNECTED; int16 quantized input with 8-bit output for ADD/SUB/MUL/DIV; a fused RELU_N1_TO_1 on int32 ADD/SUB/MUL/DIV; int32 POW; DEQUANTIZE of int16/fp16 quantized or per-channel 8-bit data to float32; QUANTIZE from quantized int16/int32 to 8-bit, int16 to int32 or float32 to per-channel 8-bit; unquantized 8-bit input to RESIZE/SPLIT/SPLIT_V/SPACE_TO_DEPTH/DEPTH_TO_SPACE; int32/int64 SPACE_TO_DEPTH/DEPTH_TO_SPACE; BATCH_MATMUL with int8 inputs or int32 output; ARG_MIN/ARG_MAX from int8 to int32; SELECT on bool/int8/uint8; PACK of int32 or of 1-D 8-bit tensors; ONE_HOT to bool; UNIDIRECTIONAL_SEQUENCE_LSTM unless its input is 8-bit, its output state matches the output type and its cell state is int16/fp16; BIDIRECTIONAL_SEQUENCE_LSTM with quantized weights.",
            "Quantize the op's tensors to int8/uint8 end to end, or move the op out of the accelerated part.",
            $"{OpMap} FullyConnectedMapper, SimpleOpWithFusedActiovationMapper, PowMapper, DequantizeMapper, QuantizeMapper, ResizeMapper, SplitMapper, SplitVMapper, Space2DepthMapper, Depth2SpaceMapper, BatchMatmul, ArgOpMapper, Select, PackMapper, OneHotMapper, UnidirectionalSequenceLstm, BidirectionalSequenceLstm IsOpSupported");
    }

    /// <summary>The configuration rules (everything but the mapper registry).</summary>
    public IReadOnlyList<Rule> ConfigurationRules => [Tensors, Hybrid, ConstantParameters, Attributes, Types];

    public IReadOnlyList<Rule> All => [NoMapper, .. ConfigurationRules];

    /// <summary>Reports a missing mapper; true when the op has none.</summary>
    public bool CheckMapper(OpContext ctx)
    {
        if (IsMapped(ctx.Op.Kind)) return false;
        ctx.Report(NoMapper, VeriSiliconBuiltinCodes.Of(ctx.Op.Kind) is null
            ? $"Fallback unsupported op {ctx.Op.TypeName} to cpu: neither the vx-delegate nor the VSINPU execution provider maps it"
            : $"Fallback unsupported {VeriSiliconBuiltinCodes.Describe(ctx.Op)} to TfLite: the vx-delegate has no mapper for it");
        return true;
    }

    /// <summary>Runs the base and op-specific checks; reports the first reason per rule; true when any fired.</summary>
    public bool CheckConfiguration(OpContext ctx)
    {
        var fired = false;
        foreach (var (rule, check) in new (Rule, Func<Operator, string?>)[]
                 { (Tensors, op => TensorReason(op, ctx.Graph.PrescribedIndexType)), (Hybrid, HybridReason), (ConstantParameters, ConstantReason), (Attributes, AttributeReason), (Types, TypeReason) })
        {
            if (check(ctx.Op) is { } reason)
            {
                ctx.Report(rule, reason);
                fired = true;
            }
        }
        return fired;
    }

    private static IEnumerable<Tensor> PresentInputs(Operator op) => op.Inputs.Where(t => t is not null).Select(t => t!);

    private static string? TensorReason(Operator op, DataType? prescribedIndexType)
    {
        // An empty constant is how ONNX writes an omitted input (Resize roi); it carries nothing to map.
        foreach (var t in PresentInputs(op).Where(t => !(t.IsConstant && t.Shape.ElementCount == 0)))
        {
            if (t.Type == DataType.String)
                return $"input '{t.Name}' is string: the delegate refuses string inputs (\"String input is not supported\")";
            // The delegate refuses every int64 input of a TFLite graph. A format that prescribes int64 for constant
            // parameters (ONNX Pad pads, Reshape shape, axes) leaves the file no choice, and its TFLite conversion
            // writes them as int32, which the delegate accepts.
            var prescribed = t.IsConstant && t.Type == prescribedIndexType && !ReferenceEquals(t, op.Input(0));
            if (t.Type == DataType.Int64 && !prescribed)
                return t.IsConstant
                    ? $"constant input '{t.Name}' is int64: the delegate refuses int64 inputs, parameters included (\"Int64 input is not supported\"); write it as int32"
                    : $"input '{t.Name}' is int64: the delegate refuses int64 inputs (\"Int64 input is not supported\")";
            if (!t.Shape.IsUnknownRank && t.Shape.Rank > MaxRank)
                return $"input '{t.Name}' has rank {t.Shape.Rank}: the delegate maps tensors of rank ≤ {MaxRank}";
            for (var i = 0; i < t.Shape.Rank; i++)
            {
                if (t.Shape[i] == 0) return $"input '{t.Name}' [{t.Shape}] has a dimension of 0";
                if (i > 0 && t.Shape[i] > MaxSpatialDim)
                    return $"input '{t.Name}' has dimension {i} = {t.Shape[i]}: the delegate refuses dimensions > {MaxSpatialDim}";
            }
        }
        foreach (var t in op.Outputs)
        {
            if (t.Type is DataType.Int16 or DataType.Int64)
                return $"output '{t.Name}' is {t.Type.Name()}: the delegate refuses int16 and int64 outputs";
            if (t.Shape.Dims.Any(d => d == 0)) return $"output '{t.Name}' [{t.Shape}] has a dimension of 0";
        }
        if (op.Kind is OpKind.Reshape or OpKind.Transpose or OpKind.Pad or OpKind.TransposeConv or OpKind.ArgMax or OpKind.ArgMin
            && op.Output(0) is { } o && (o.Shape.IsUnknownRank || o.Shape.Rank == 0 || !o.Shape.IsFullyKnown))
            return $"output '{o.Name}' has a run-time shape [{o.Shape}]: {op.TypeName} needs a static output shape";
        return null;
    }

    private static string? HybridReason(Operator op)
    {
        if (op.Kind is not (OpKind.Conv2D or OpKind.DepthwiseConv2D or OpKind.Conv3D or OpKind.FullyConnected)) return null;
        if (op.Input(0) is not { } x || op.Input(1) is not { } w || x.Type == w.Type) return null;
        return $"input '{x.Name}' is {x.Type.Name()} but weights '{w.Name}' are {w.Type.Name()}: hybrid {op.TypeName} is not mapped";
    }

    private static string? ConstantReason(Operator op)
    {
        int[] slots = op.Kind switch
        {
            OpKind.StridedSlice => [1, 2, 3],
            OpKind.Slice => [1, 2],
            OpKind.ResizeBilinear or OpKind.ResizeNearestNeighbor or OpKind.ReverseV2 or OpKind.ExpandDims or OpKind.OneHot => [1],
            OpKind.Mean or OpKind.Sum or OpKind.ReduceMax or OpKind.ReduceMin or OpKind.ReduceProd or OpKind.ReduceAny => [1],
            OpKind.Conv3D => [1],
            _ => [],
        };
        foreach (var i in slots)
        {
            if (op.Input(i) is { IsConstant: false } t)
                return $"input {i} '{t.Name}' of {op.TypeName} is computed at run time; the delegate needs it constant";
        }
        return null;
    }

    private static string? AttributeReason(Operator op)
    {
        switch (op.Kind)
        {
            case OpKind.StridedSlice when op.Attributes is StridedSliceAttributes s:
                if (s.NewAxisMask != 0) return $"new_axis_mask = {s.NewAxisMask}: only 0 is mapped";
                if (s.EllipsisMask != 0) return $"ellipsis_mask = {s.EllipsisMask}: only 0 is mapped";
                return null;
            case OpKind.FullyConnected when op.Attributes is FullyConnectedAttributes { ShuffledWeights: true }:
                return "weights_format SHUFFLED4x16INT8 is not mapped";
            case OpKind.Conv2D when op.Attributes is ConvAttributes { Groups: > 1 } c && op.Input(0) is { Shape.Rank: > 0 } x && x.Shape[0] != 1:
                return $"grouped convolution ({c.Groups} groups) with batch {x.Shape[0]}: only batch 1 is mapped";
            case OpKind.Slice when op.Input(0) is { Shape.Rank: > 3 } x && op.Output(0) is { Shape.Rank: > 0 } y && x.Shape[0] != y.Shape[0]:
                return $"slices the batch ({x.Shape[0]} → {y.Shape[0]}) of a rank-{x.Shape.Rank} tensor";
            case OpKind.BatchMatMul when op.Attributes is BatchMatMulAttributes { AdjX: true, AdjY: true }:
                return "adj_x and adj_y are both set";
            case OpKind.BatchToSpaceNd or OpKind.SpaceToBatchNd:
                if (op.Input(0) is { Shape.IsUnknownRank: false } bx && bx.Shape.Rank != 4)
                    return $"input is {bx.Shape.Rank}-D: only 4-D is mapped";
                if (op.Input(1) is { Shape.Rank: 1 } block && block.Shape[0] != 2)
                    return $"block shape has {block.Shape[0]} spatial dimensions: only 2 are mapped";
                return null;
            case OpKind.Select when op.Input(0) is { Shape.IsUnknownRank: false } cond && op.Input(1) is { Shape.IsUnknownRank: false } a
                                    && cond.Shape.Rank != a.Shape.Rank:
                return $"condition rank {cond.Shape.Rank} differs from input rank {a.Shape.Rank}";
            case OpKind.Conv3D when op.Attributes is ConvAttributes c3 && (c3.DilationH > 1 || c3.DilationW > 1):
                return $"dilation {c3.DilationH}×{c3.DilationW}: CONV_3D maps dilation 1 only";
            case OpKind.BidirectionalSequenceLstm:
                if (op.Input(BiLstmFwProjectionWeights) is not null) return "has projection weights";
                if (op.Input(BiLstmFwAuxInputToCellWeights) is not null) return "has auxiliary-input weights";
                return null;
            default:
                return null;
        }
    }

    private static bool IsEightBit(Tensor t) => t.Type.Is8Bit();
    private static bool Quantized(Tensor t) => t.Quantization.IsQuantized;

    private static string? TypeReason(Operator op)
    {
        var x = op.Input(0);
        var y = op.Output(0);
        switch (op.Kind)
        {
            case OpKind.FullyConnected when PresentInputs(op).FirstOrDefault(t => t.Type == DataType.Int16) is { } i16:
                return $"input '{i16.Name}' is int16: FULLY_CONNECTED maps no int16 inputs";
            case OpKind.Add or OpKind.Sub or OpKind.Mul or OpKind.Div when x is not null && y is not null:
                if (x.Type == DataType.Int16 && Quantized(x) && IsEightBit(y) && Quantized(y))
                    return $"quantized int16 input with {y.Type.Name()} output";
                if (op.Attributes is ElementwiseAttributes { Activation: FusedActivation.ReluN1To1 } && x.Type == DataType.Int32 && y.Type == DataType.Int32)
                    return "fused RELU_N1_TO_1 on int32 tensors";
                return null;
            case OpKind.Pow when x is { Type: DataType.Int32 } && op.Input(1) is { Type: DataType.Int32 }:
                return "int32 POW is not mapped";
            case OpKind.Dequantize when x is not null && y is { Type: DataType.Float32 }:
                if (x.Type is DataType.Int16 or DataType.Float16 && Quantized(x))
                    return $"quantized {x.Type.Name()} input to float32";
                if (IsEightBit(x) && x.Quantization.Kind == QuantizationKind.PerAxis)
                    return $"per-channel {x.Type.Name()} ({x.Quantization.Scales.Length} scales) to float32";
                return null;
            case OpKind.Quantize when x is not null && y is not null:
                if (x.Type is DataType.Int32 or DataType.Int16 && Quantized(x) && IsEightBit(y))
                    return $"quantized {x.Type.Name()} input to {y.Type.Name()}";
                if (x.Type == DataType.Int16 && Quantized(x) && y.Type == DataType.Int32)
                    return "quantized int16 input to int32";
                if (x.Type == DataType.Float32 && IsEightBit(y) && y.Quantization.Kind == QuantizationKind.PerAxis)
                    return $"float32 input to per-channel {y.Type.Name()} output";
                return null;
            case OpKind.ResizeBilinear or OpKind.ResizeNearestNeighbor when x is not null && IsEightBit(x) && !Quantized(x):
                return $"input '{x.Name}' is {x.Type.Name()} without quantization parameters";
            case OpKind.Split or OpKind.SplitV when PresentInputs(op).FirstOrDefault(t => IsEightBit(t) && !Quantized(t)) is { } raw:
                return $"input '{raw.Name}' is {raw.Type.Name()} without quantization parameters";
            case OpKind.SpaceToDepth or OpKind.DepthToSpace:
                foreach (var t in PresentInputs(op))
                {
                    if (t.Type is DataType.Int32 or DataType.Int64) return $"input '{t.Name}' is {t.Type.Name()}";
                    if (IsEightBit(t) && !Quantized(t)) return $"input '{t.Name}' is {t.Type.Name()} without quantization parameters";
                }
                return null;
            case OpKind.BatchMatMul:
                if (y is { Type: DataType.Int32 }) return "int32 output";
                if (x is { Type: DataType.Int8 } || op.Input(1) is { Type: DataType.Int8 }) return "int8 inputs";
                return null;
            case OpKind.ArgMax or OpKind.ArgMin when x is { Type: DataType.Int8 } && y is { Type: DataType.Int32 }:
                return "int8 input with int32 output";
            case OpKind.Select:
                if (op.Inputs.Skip(1).FirstOrDefault(t => t is { Type: DataType.Bool or DataType.Int8 or DataType.UInt8 }) is { } si)
                    return $"input '{si.Name}' is {si.Type.Name()}: SELECT maps no bool/int8/uint8 data";
                if (op.Outputs.FirstOrDefault(t => t.Type is DataType.Bool or DataType.Int8 or DataType.UInt8) is { } so)
                    return $"output '{so.Name}' is {so.Type.Name()}: SELECT maps no bool/int8/uint8 data";
                return null;
            case OpKind.Pack when x is not null && (x.Type == DataType.Int32 || (x.Shape.Rank == 1 && IsEightBit(x))):
                return $"input '{x.Name}' is {x.Shape.Rank}-D {x.Type.Name()}";
            case OpKind.OneHot when y is { Type: DataType.Bool }:
                return "bool output";
            case OpKind.UnidirectionalSequenceLstm when x is not null && y is not null:
                if (!IsEightBit(x)) return $"input '{x.Name}' is {x.Type.Name()}: only uint8/int8 input is mapped";
                if (op.Input(LstmOutputState) is { } h && h.Type != y.Type) return $"output state is {h.Type.Name()} but the output is {y.Type.Name()}";
                if (op.Input(LstmCellState) is { } c && c.Type is not (DataType.Int16 or DataType.Float16))
                    return $"cell state is {c.Type.Name()}: only int16/float16 is mapped";
                return null;
            case OpKind.BidirectionalSequenceLstm when op.Input(BiLstmFwInputToInputWeights) is { } w && w.Type != DataType.Float32:
                return $"weights are {w.Type.Name()}: only float32 weights are mapped";
            default:
                return null;
        }
    }
}
