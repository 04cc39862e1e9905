using System.Buffers.Binary;
using NpuAdvisor.Formats.Tflite.FlatBuffers;
using NpuAdvisor.Model;
using S = NpuAdvisor.Formats.Tflite.TfliteSchema;
using Op = NpuAdvisor.Formats.Tflite.TfliteSchema.BuiltinOperator;
using Opt = NpuAdvisor.Formats.Tflite.TfliteSchema.BuiltinOptions;

namespace NpuAdvisor.Formats.Tflite;

/// <summary>
/// Turns an operator's builtin options (and the constant inputs some ops take their parameters from)
/// into typed IR attributes. Inputs are already in IR order (data first). Values the analyser divides
/// by or indexes with (strides, dilations, filter sizes, kernel dims, body subgraphs) are validated here.
/// </summary>
internal readonly ref struct TfliteAttributeReader
{
    /// <summary>Constant operands longer than this (paddings, axes, permutations…) are not expanded into attributes.</summary>
    private const int MaxConstantElements = 1024;

    private readonly FbTable _op;
    private readonly Operator _ir;
    private readonly int _code;
    private readonly byte _optionsType;
    private readonly FbTable? _options;
    private readonly int _subgraphCount;

    public TfliteAttributeReader(FbTable op, Operator ir, int code, byte optionsType, FbTable? options, int subgraphCount)
    {
        _op = op;
        _ir = ir;
        _code = code;
        _optionsType = optionsType;
        _options = options;
        _subgraphCount = subgraphCount;
    }

    public OpAttributes? Read() => _code switch
    {
        Op.CONV_2D => Conv2D(),
        Op.DEPTHWISE_CONV_2D => DepthwiseConv2D(),
        Op.TRANSPOSE_CONV => TransposeConv(),
        Op.AVERAGE_POOL_2D or Op.MAX_POOL_2D or Op.L2_POOL_2D => Pool(),
        Op.FULLY_CONNECTED => FullyConnected(),
        Op.CONCATENATION => Concatenation(),
        Op.ADD => Elementwise(Opt.AddOptions, S.AddOptions.FusedActivationFunction),
        Op.SUB => Elementwise(Opt.SubOptions, S.SubOptions.FusedActivationFunction),
        Op.MUL => Elementwise(Opt.MulOptions, S.MulOptions.FusedActivationFunction),
        Op.DIV => Elementwise(Opt.DivOptions, S.DivOptions.FusedActivationFunction),
        Op.PAD or Op.PADV2 or Op.MIRROR_PAD => Pad(),
        Op.RESHAPE => Reshape(),
        Op.RESIZE_BILINEAR => Resize(ResizeMode.Bilinear, Opt.ResizeBilinearOptions, S.ResizeBilinearOptions.AlignCorners, S.ResizeBilinearOptions.HalfPixelCenters),
        Op.RESIZE_NEAREST_NEIGHBOR => Resize(ResizeMode.NearestNeighbor, Opt.ResizeNearestNeighborOptions, S.ResizeNearestNeighborOptions.AlignCorners, S.ResizeNearestNeighborOptions.HalfPixelCenters),
        Op.STRIDED_SLICE => StridedSlice(),
        Op.SLICE => Slice(),
        Op.SPLIT => Split(Opt.SplitOptions, S.SplitOptions.NumSplits, axisInput: 1),
        Op.SPLIT_V => Split(Opt.SplitVOptions, S.SplitVOptions.NumSplits, axisInput: 2),
        Op.SOFTMAX => new SoftmaxAttributes(Options(Opt.SoftmaxOptions)?.GetFloat(S.SoftmaxOptions.Beta, "beta") ?? 0f),
        Op.MEAN or Op.SUM or Op.REDUCE_PROD or Op.REDUCE_MAX or Op.REDUCE_MIN or Op.REDUCE_ANY or Op.REDUCE_ALL => Reduce(),
        Op.DEPTH_TO_SPACE => Block(Opt.DepthToSpaceOptions, S.DepthToSpaceOptions.BlockSize),
        Op.SPACE_TO_DEPTH => Block(Opt.SpaceToDepthOptions, S.SpaceToDepthOptions.BlockSize),
        Op.LEAKY_RELU => new LeakyReluAttributes(Options(Opt.LeakyReluOptions)?.GetFloat(S.LeakyReluOptions.Alpha, "alpha") ?? 0f),
        Op.SQUEEZE => new SqueezeAttributes(Options(Opt.SqueezeOptions)?.GetVector(S.SqueezeOptions.SqueezeDims, 4, "squeeze_dims").ToInt32Array() ?? []),
        Op.TRANSPOSE => new TransposeAttributes(ConstantInts(1) is { } perm ? ToInts(perm) : null),
        Op.GATHER => new AxisAttributes(Options(Opt.GatherOptions)?.GetInt(S.GatherOptions.Axis, "axis") ?? 0),
        Op.PACK => PackUnpack(Opt.PackOptions, S.PackOptions.Axis, S.PackOptions.ValuesCount, "values_count"),
        Op.UNPACK => PackUnpack(Opt.UnpackOptions, S.UnpackOptions.Axis, S.UnpackOptions.Num, "num"),
        Op.ARG_MAX or Op.ARG_MIN => ConstantInts(1) is [var axis] ? new AxisAttributes(Clamp(axis)) : null,
        Op.BATCH_MATMUL => BatchMatMul(),
        Op.LSTM => Lstm(Opt.LSTMOptions, S.LSTMOptions.FusedActivationFunction, S.LSTMOptions.CellClip, S.LSTMOptions.ProjClip, -1, false, false),
        Op.UNIDIRECTIONAL_SEQUENCE_LSTM => Lstm(Opt.UnidirectionalSequenceLSTMOptions, S.UnidirectionalSequenceLSTMOptions.FusedActivationFunction,
            S.UnidirectionalSequenceLSTMOptions.CellClip, S.UnidirectionalSequenceLSTMOptions.ProjClip, S.UnidirectionalSequenceLSTMOptions.TimeMajor, false, false),
        Op.BIDIRECTIONAL_SEQUENCE_LSTM => Lstm(Opt.BidirectionalSequenceLSTMOptions, S.BidirectionalSequenceLSTMOptions.FusedActivationFunction,
            S.BidirectionalSequenceLSTMOptions.CellClip, S.BidirectionalSequenceLSTMOptions.ProjClip, S.BidirectionalSequenceLSTMOptions.TimeMajor,
            S.BidirectionalSequenceLSTMOptions.DefaultTimeMajor, true),
        Op.IF => ControlFlow(Opt.IfOptions, (S.IfOptions.ThenSubgraphIndex, "then_subgraph_index"), (S.IfOptions.ElseSubgraphIndex, "else_subgraph_index")),
        Op.WHILE => ControlFlow(Opt.WhileOptions, (S.WhileOptions.CondSubgraphIndex, "cond_subgraph_index"), (S.WhileOptions.BodySubgraphIndex, "body_subgraph_index")),
        Op.CALL_ONCE => ControlFlow(Opt.CallOnceOptions, (S.CallOnceOptions.InitSubgraphIndex, "init_subgraph_index")),
        Op.CALL => ControlFlow(Opt.CallOptions, (S.CallOptions.Subgraph, "subgraph")),
        _ => null,
    };

    // ---- helpers ----

    private ModelFormatException Error(string message, string field) =>
        _op.Buffer.Error($"{_ir.SourceType}: {message}", _op.Path, field, _op.Position);

    /// <summary>The options table when it has the type this op expects; null when absent; an error when it is another table.</summary>
    private FbTable? Options(byte expected, bool required = false)
    {
        if (_optionsType != S.BuiltinOptions.NONE && _optionsType != expected)
            throw Error($"builtin_options has union type {_optionsType}, expected {expected}", "builtin_options_type");
        if (_options is null && required) throw Error("builtin_options are missing", "builtin_options");
        return _options;
    }

    private FusedActivation Activation(FbTable? options, int id)
    {
        var value = options?.GetSByte(id, "fused_activation_function") ?? S.ActivationFunctionType.NONE;
        return S.FusedActivationOf(value) ?? throw Error($"fused_activation_function {value} is not a known activation", "builtin_options.fused_activation_function");
    }

    private static int Clamp(long v) => (int)Math.Clamp(v, int.MinValue, int.MaxValue);

    private static int[] ToInts(long[] values) => Array.ConvertAll(values, Clamp);

    private int Positive(FbTable options, int id, string name, int defaultValue = 0)
    {
        var v = options.GetInt(id, name, defaultValue);
        if (v < 1) throw Error($"{name} is {v}, must be at least 1", "builtin_options." + name);
        return v;
    }

    private Tensor RequiredInput(int i, string what)
    {
        return _ir.Input(i) ?? throw Error($"{what} (input {i}) is missing", "inputs");
    }

    /// <summary>Integer contents of a dense int32/int64 constant input; null when not constant or too long.</summary>
    private long[]? ConstantInts(int input)
    {
        var t = _ir.Input(input);
        if (t is null || t.Data.IsEmpty || t.Sparsity is not null) return null;
        var size = t.Type switch { DataType.Int32 => 4, DataType.Int64 => 8, _ => 0 };
        if (size == 0 || t.Data.Length % size != 0) return null;
        var n = t.Data.Length / size;
        if (n > MaxConstantElements || (t.Shape.ElementCount is { } e && e != n)) return null;
        var span = t.Data.Span;
        var values = new long[n];
        for (var i = 0; i < n; i++)
            values[i] = size == 4 ? BinaryPrimitives.ReadInt32LittleEndian(span.Slice(i * 4, 4)) : BinaryPrimitives.ReadInt64LittleEndian(span.Slice(i * 8, 8));
        return values;
    }

    private Padding2D SpatialPadding(FbTable options, int id, Tensor? spatialSource, int strideH, int strideW, long effKH, long effKW)
    {
        var padding = options.GetSByte(id, "padding");
        switch (padding)
        {
            case S.Padding.VALID:
                return Padding2D.Valid;
            case S.Padding.SAME:
                if (spatialSource is { Shape: { IsUnknownRank: false, Rank: 4 } s } && s[1] >= 0 && s[2] >= 0)
                {
                    var (top, bottom) = SameAmounts(s[1], strideH, effKH);
                    var (left, right) = SameAmounts(s[2], strideW, effKW);
                    return Padding2D.Same(top, bottom, left, right);
                }
                return Padding2D.Same(0, 0, 0, 0);
            default:
                throw Error($"padding {padding} is neither SAME (0) nor VALID (1)", "builtin_options.padding");
        }
    }

    /// <summary>TFLite's SAME rule: output = ceil(in/stride), total = max((out−1)·stride + effective_kernel − in, 0), the smaller half first.</summary>
    private static (int Before, int After) SameAmounts(long input, int stride, long effectiveKernel)
    {
        Int128 outSize = (input + stride - 1) / stride;
        var total = Int128.Max((outSize - 1) * stride + effectiveKernel - input, 0);
        var before = total / 2;
        return (ClampInt(before), ClampInt(total - before));
    }

    private static int ClampInt(Int128 v) => (int)Int128.Clamp(v, int.MinValue, int.MaxValue);

    private (int H, int W) KernelFromWeights(Tensor weights)
    {
        var s = weights.Shape;
        if (s.IsUnknownRank || s.Rank != 4 || s[1] < 1 || s[2] < 1)
            throw Error($"weights '{weights.Name}' have shape {s}, expected 4-D with known kernel height and width", "inputs");
        return ((int)s[1], (int)s[2]);
    }

    private static long Channels(Tensor? t) => t is { Shape: { IsUnknownRank: false, Rank: 4 } s } ? s[3] : -1;

    // ---- per-op readers ----

    private ConvAttributes Conv2D()
    {
        var o = Options(Opt.Conv2DOptions, required: true)!.Value;
        var input = RequiredInput(0, "input");
        var weights = RequiredInput(1, "weights");
        var (kh, kw) = KernelFromWeights(weights);
        int sw = Positive(o, S.Conv2DOptions.StrideW, "stride_w"), sh = Positive(o, S.Conv2DOptions.StrideH, "stride_h");
        int dw = Positive(o, S.Conv2DOptions.DilationWFactor, "dilation_w_factor", S.Conv2DOptions.DefaultDilation);
        int dh = Positive(o, S.Conv2DOptions.DilationHFactor, "dilation_h_factor", S.Conv2DOptions.DefaultDilation);
        var padding = SpatialPadding(o, S.Conv2DOptions.Padding, input, sh, sw, (kh - 1L) * dh + 1, (kw - 1L) * dw + 1);
        long inC = Channels(input), filterC = weights.Shape[3];
        var groups = inC > 0 && filterC > 0 && inC % filterC == 0 ? (int)(inC / filterC) : 1;
        return new ConvAttributes(kh, kw, sh, sw, dh, dw, padding, Activation(o, S.Conv2DOptions.FusedActivationFunction), Groups: groups);
    }

    private ConvAttributes DepthwiseConv2D()
    {
        var o = Options(Opt.DepthwiseConv2DOptions, required: true)!.Value;
        var input = RequiredInput(0, "input");
        var weights = RequiredInput(1, "weights");
        var (kh, kw) = KernelFromWeights(weights);
        int sw = Positive(o, S.DepthwiseConv2DOptions.StrideW, "stride_w"), sh = Positive(o, S.DepthwiseConv2DOptions.StrideH, "stride_h");
        int dw = Positive(o, S.DepthwiseConv2DOptions.DilationWFactor, "dilation_w_factor", S.DepthwiseConv2DOptions.DefaultDilation);
        int dh = Positive(o, S.DepthwiseConv2DOptions.DilationHFactor, "dilation_h_factor", S.DepthwiseConv2DOptions.DefaultDilation);
        var padding = SpatialPadding(o, S.DepthwiseConv2DOptions.Padding, input, sh, sw, (kh - 1L) * dh + 1, (kw - 1L) * dw + 1);
        long inC = Channels(input), outC = weights.Shape[3];
        // depth_multiplier is redundant in newer files (ignored by the runtime); the channel ratio is authoritative when known.
        var multiplier = inC > 0 && outC > 0 && outC % inC == 0 ? (int)(outC / inC) : Math.Max(1, o.GetInt(S.DepthwiseConv2DOptions.DepthMultiplier, "depth_multiplier"));
        return new ConvAttributes(kh, kw, sh, sw, dh, dw, padding, Activation(o, S.DepthwiseConv2DOptions.FusedActivationFunction),
            DepthMultiplier: multiplier, Groups: inC > 0 && inC <= int.MaxValue ? (int)inC : 1);
    }

    private ConvAttributes TransposeConv()
    {
        var o = Options(Opt.TransposeConvOptions, required: true)!.Value;
        _ = RequiredInput(0, "input");
        var weights = RequiredInput(1, "weights");
        var (kh, kw) = KernelFromWeights(weights);
        int sw = Positive(o, S.TransposeConvOptions.StrideW, "stride_w"), sh = Positive(o, S.TransposeConvOptions.StrideH, "stride_h");
        // Padding of a transposed conv is the SAME rule applied from the output's side.
        var padding = SpatialPadding(o, S.TransposeConvOptions.Padding, _ir.Output(0), sh, sw, kh, kw);
        return new ConvAttributes(kh, kw, sh, sw, 1, 1, padding, Activation(o, S.TransposeConvOptions.FusedActivationFunction));
    }

    private PoolAttributes Pool()
    {
        var o = Options(Opt.Pool2DOptions, required: true)!.Value;
        int fw = Positive(o, S.Pool2DOptions.FilterWidth, "filter_width"), fh = Positive(o, S.Pool2DOptions.FilterHeight, "filter_height");
        int sw = Positive(o, S.Pool2DOptions.StrideW, "stride_w"), sh = Positive(o, S.Pool2DOptions.StrideH, "stride_h");
        var padding = SpatialPadding(o, S.Pool2DOptions.Padding, _ir.Input(0), sh, sw, fh, fw);
        return new PoolAttributes(fh, fw, sh, sw, padding, Activation(o, S.Pool2DOptions.FusedActivationFunction));
    }

    private FullyConnectedAttributes FullyConnected()
    {
        var o = Options(Opt.FullyConnectedOptions);
        var format = o?.GetSByte(S.FullyConnectedOptions.WeightsFormat, "weights_format") ?? S.FullyConnectedOptionsWeightsFormat.DEFAULT;
        if (format is not (S.FullyConnectedOptionsWeightsFormat.DEFAULT or S.FullyConnectedOptionsWeightsFormat.SHUFFLED4x16INT8))
            throw Error($"weights_format {format} is not DEFAULT (0) or SHUFFLED4x16INT8 (1)", "builtin_options.weights_format");
        return new FullyConnectedAttributes(Activation(o, S.FullyConnectedOptions.FusedActivationFunction),
            o?.GetBool(S.FullyConnectedOptions.KeepNumDims, "keep_num_dims") ?? false,
            format == S.FullyConnectedOptionsWeightsFormat.SHUFFLED4x16INT8);
    }

    private AxisAttributes Concatenation()
    {
        var o = Options(Opt.ConcatenationOptions);
        return new AxisAttributes(o?.GetInt(S.ConcatenationOptions.Axis, "axis") ?? 0,
            Activation(o, S.ConcatenationOptions.FusedActivationFunction), _ir.Inputs.Count);
    }

    private ElementwiseAttributes Elementwise(byte optionsType, int activationId) =>
        new(Activation(Options(optionsType), activationId));

    private PadAttributes Pad()
    {
        var mirror = _code == Op.MIRROR_PAD;
        _ = Options(_code switch { Op.PAD => Opt.PadOptions, Op.PADV2 => Opt.PadV2Options, _ => Opt.MirrorPadOptions });
        if (ConstantInts(1) is not { Length: > 0 } p || p.Length % 2 != 0) return new PadAttributes(null, mirror);
        var pairs = new (long, long)[p.Length / 2];
        for (var i = 0; i < pairs.Length; i++) pairs[i] = (p[2 * i], p[2 * i + 1]);
        return new PadAttributes(pairs, mirror);
    }

    private ReshapeAttributes Reshape()
    {
        if (ConstantInts(1) is { } shape) return new ReshapeAttributes(shape);
        var v = Options(Opt.ReshapeOptions)?.GetVector(S.ReshapeOptions.NewShape, 4, "new_shape");
        return new ReshapeAttributes(v is { IsPresent: true } nv ? Array.ConvertAll(nv.ToInt32Array(), d => (long)d) : null);
    }

    private ResizeAttributes Resize(ResizeMode mode, byte optionsType, int alignId, int halfPixelId)
    {
        var o = Options(optionsType);
        int outH = -1, outW = -1;
        if (ConstantInts(1) is [var h, var w]) (outH, outW) = (Clamp(h), Clamp(w));
        else if (_ir.Output(0) is { Shape: { IsUnknownRank: false, Rank: 4 } s }) (outH, outW) = (Clamp(s[1]), Clamp(s[2]));
        return new ResizeAttributes(mode, o?.GetBool(alignId, "align_corners") ?? false, o?.GetBool(halfPixelId, "half_pixel_centers") ?? false, outH, outW);
    }

    private StridedSliceAttributes StridedSlice()
    {
        var o = Options(Opt.StridedSliceOptions);
        int Mask(int id, string name) => o?.GetInt(id, name) ?? 0;
        return new StridedSliceAttributes(
            Mask(S.StridedSliceOptions.BeginMask, "begin_mask"), Mask(S.StridedSliceOptions.EndMask, "end_mask"),
            Mask(S.StridedSliceOptions.EllipsisMask, "ellipsis_mask"), Mask(S.StridedSliceOptions.NewAxisMask, "new_axis_mask"),
            Mask(S.StridedSliceOptions.ShrinkAxisMask, "shrink_axis_mask"),
            ConstantInts(1), ConstantInts(2), ConstantInts(3), o?.GetBool(S.StridedSliceOptions.Offset, "offset") ?? false);
    }

    /// <summary>SLICE [input, begin, size] as a stride-1 strided slice; size −1 ("to the end") needs the input's dimension.</summary>
    private StridedSliceAttributes Slice()
    {
        var begin = ConstantInts(1);
        var size = ConstantInts(2);
        long[]? end = null;
        if (begin is not null && size is not null && begin.Length == size.Length)
        {
            var shape = _ir.Input(0)?.Shape;
            end = new long[size.Length];
            for (var i = 0; i < size.Length && end is not null; i++)
            {
                if (size[i] >= 0) end[i] = begin[i] + size[i];
                else if (shape is { IsUnknownRank: false } s && i < s.Rank && s[i] >= 0) end[i] = s[i];
                else end = null;
            }
        }
        var ones = begin is null ? null : Enumerable.Repeat(1L, begin.Length).ToArray();
        return new StridedSliceAttributes(0, 0, 0, 0, 0, begin, end, ones);
    }

    private AxisAttributes? Split(byte optionsType, int numSplitsId, int axisInput)
    {
        var count = Options(optionsType)?.GetInt(numSplitsId, "num_splits") ?? _ir.Outputs.Count;
        return ConstantInts(axisInput) is [var axis] ? new AxisAttributes(Clamp(axis), Count: count) : null;
    }

    private ReduceAttributes Reduce()
    {
        var keep = Options(Opt.ReducerOptions)?.GetBool(S.ReducerOptions.KeepDims, "keep_dims") ?? false;
        return new ReduceAttributes(ConstantInts(1) is { } axes ? ToInts(axes) : null, keep);
    }

    private BlockAttributes Block(byte optionsType, int id) =>
        new(Positive(Options(optionsType, required: true)!.Value, id, "block_size"));

    private AxisAttributes PackUnpack(byte optionsType, int axisId, int countId, string countName)
    {
        var o = Options(optionsType);
        return new AxisAttributes(o?.GetInt(axisId, "axis") ?? 0, Count: o?.GetInt(countId, countName) ?? 0);
    }

    private BatchMatMulAttributes BatchMatMul()
    {
        var o = Options(Opt.BatchMatMulOptions);
        return new BatchMatMulAttributes(o?.GetBool(S.BatchMatMulOptions.AdjX, "adj_x") ?? false, o?.GetBool(S.BatchMatMulOptions.AdjY, "adj_y") ?? false);
    }

    private LstmAttributes Lstm(byte optionsType, int activationId, int cellClipId, int projClipId, int timeMajorId, bool timeMajorDefault, bool bidirectional)
    {
        var o = Options(optionsType);
        return new LstmAttributes(Activation(o, activationId),
            o?.GetFloat(cellClipId, "cell_clip") ?? 0f, o?.GetFloat(projClipId, "proj_clip") ?? 0f,
            timeMajorId >= 0 ? o?.GetBool(timeMajorId, "time_major", timeMajorDefault) ?? timeMajorDefault : false, bidirectional);
    }

    private ControlFlowAttributes ControlFlow(byte optionsType, params (int Id, string Name)[] fields)
    {
        var o = Options(optionsType, required: true)!.Value;
        var bodies = new int[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var v = o.GetInt(fields[i].Id, fields[i].Name);
            if (v < 0 || v >= _subgraphCount)
                throw Error($"{fields[i].Name} {v} is out of range (the model has {_subgraphCount} subgraphs)", "builtin_options." + fields[i].Name);
            bodies[i] = v;
        }
        return new ControlFlowAttributes(bodies);
    }
}
