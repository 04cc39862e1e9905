using NpuAdvisor.Model;
using S = NpuAdvisor.Formats.Tflite.TfliteSchema;
using Op = NpuAdvisor.Formats.Tflite.TfliteSchema.BuiltinOperator;

namespace NpuAdvisor.Formats.Tflite;

/// <summary>
/// Encodes an operator's typed IR attributes as its TFLite builtin options table. Values TFLite keeps
/// in input tensors (paddings, axes, sizes, permutations, slice bounds) are already inputs of the op.
/// </summary>
internal static class TfliteOptionsWriter
{
    /// <summary>The union type and table for <paramref name="op"/> written as builtin <paramref name="code"/>; (NONE, 0) when it has no options.</summary>
    public static (byte Type, int Table) Write(FlatBufferBuilder fb, Operator op, int code, string field)
    {
        switch (code)
        {
            case Op.CONV_2D:
            {
                var c = Need<ConvAttributes>(op, field);
                fb.StartTable(S.Conv2DOptions.QuantizedBiasType + 1);
                fb.AddSByte(S.Conv2DOptions.Padding, PaddingOf(c.Padding, op, field));
                fb.AddInt(S.Conv2DOptions.StrideW, c.StrideW);
                fb.AddInt(S.Conv2DOptions.StrideH, c.StrideH);
                fb.AddSByte(S.Conv2DOptions.FusedActivationFunction, S.ActivationFunctionTypeOf(c.Activation));
                fb.AddInt(S.Conv2DOptions.DilationWFactor, c.DilationW, S.Conv2DOptions.DefaultDilation);
                fb.AddInt(S.Conv2DOptions.DilationHFactor, c.DilationH, S.Conv2DOptions.DefaultDilation);
                return (S.BuiltinOptions.Conv2DOptions, fb.EndTable());
            }
            case Op.DEPTHWISE_CONV_2D:
            {
                var c = Need<ConvAttributes>(op, field);
                fb.StartTable(S.DepthwiseConv2DOptions.DilationHFactor + 1);
                fb.AddSByte(S.DepthwiseConv2DOptions.Padding, PaddingOf(c.Padding, op, field));
                fb.AddInt(S.DepthwiseConv2DOptions.StrideW, c.StrideW);
                fb.AddInt(S.DepthwiseConv2DOptions.StrideH, c.StrideH);
                fb.AddInt(S.DepthwiseConv2DOptions.DepthMultiplier, c.DepthMultiplier);
                fb.AddSByte(S.DepthwiseConv2DOptions.FusedActivationFunction, S.ActivationFunctionTypeOf(c.Activation));
                fb.AddInt(S.DepthwiseConv2DOptions.DilationWFactor, c.DilationW, S.DepthwiseConv2DOptions.DefaultDilation);
                fb.AddInt(S.DepthwiseConv2DOptions.DilationHFactor, c.DilationH, S.DepthwiseConv2DOptions.DefaultDilation);
                return (S.BuiltinOptions.DepthwiseConv2DOptions, fb.EndTable());
            }
            case Op.TRANSPOSE_CONV:
            {
                var c = Need<ConvAttributes>(op, field);
                fb.StartTable(S.TransposeConvOptions.QuantizedBiasType + 1);
                fb.AddSByte(S.TransposeConvOptions.Padding, PaddingOf(c.Padding, op, field));
                fb.AddInt(S.TransposeConvOptions.StrideW, c.StrideW);
                fb.AddInt(S.TransposeConvOptions.StrideH, c.StrideH);
                fb.AddSByte(S.TransposeConvOptions.FusedActivationFunction, S.ActivationFunctionTypeOf(c.Activation));
                return (S.BuiltinOptions.TransposeConvOptions, fb.EndTable());
            }
            case Op.FULLY_CONNECTED:
            {
                var f = Need<FullyConnectedAttributes>(op, field);
                fb.StartTable(S.FullyConnectedOptions.QuantizedBiasType + 1);
                fb.AddSByte(S.FullyConnectedOptions.FusedActivationFunction, S.ActivationFunctionTypeOf(f.Activation));
                fb.AddSByte(S.FullyConnectedOptions.WeightsFormat, f.ShuffledWeights
                    ? S.FullyConnectedOptionsWeightsFormat.SHUFFLED4x16INT8 : S.FullyConnectedOptionsWeightsFormat.DEFAULT);
                fb.AddBool(S.FullyConnectedOptions.KeepNumDims, f.KeepNumDims);
                return (S.BuiltinOptions.FullyConnectedOptions, fb.EndTable());
            }
            case Op.AVERAGE_POOL_2D or Op.MAX_POOL_2D or Op.L2_POOL_2D:
            {
                var p = Need<PoolAttributes>(op, field);
                fb.StartTable(S.Pool2DOptions.FusedActivationFunction + 1);
                fb.AddSByte(S.Pool2DOptions.Padding, PaddingOf(p.Padding, op, field));
                fb.AddInt(S.Pool2DOptions.StrideW, p.StrideW);
                fb.AddInt(S.Pool2DOptions.StrideH, p.StrideH);
                fb.AddInt(S.Pool2DOptions.FilterWidth, p.FilterW);
                fb.AddInt(S.Pool2DOptions.FilterHeight, p.FilterH);
                fb.AddSByte(S.Pool2DOptions.FusedActivationFunction, S.ActivationFunctionTypeOf(p.Activation));
                return (S.BuiltinOptions.Pool2DOptions, fb.EndTable());
            }
            case Op.CONCATENATION:
            {
                var x = Need<AxisAttributes>(op, field);
                fb.StartTable(S.ConcatenationOptions.FusedActivationFunction + 1);
                fb.AddInt(S.ConcatenationOptions.Axis, x.Axis);
                fb.AddSByte(S.ConcatenationOptions.FusedActivationFunction, S.ActivationFunctionTypeOf(x.Activation));
                return (S.BuiltinOptions.ConcatenationOptions, fb.EndTable());
            }
            case Op.ADD or Op.SUB or Op.MUL or Op.DIV:
            {
                var activation = S.ActivationFunctionTypeOf(Optional<ElementwiseAttributes>(op, field)?.Activation ?? FusedActivation.None);
                fb.StartTable(2); // AddOptions/SubOptions have 2 fields, MulOptions/DivOptions 1; activation is field 0 in all
                fb.AddSByte(S.AddOptions.FusedActivationFunction, activation);
                var type = code switch
                {
                    Op.ADD => S.BuiltinOptions.AddOptions,
                    Op.SUB => S.BuiltinOptions.SubOptions,
                    Op.MUL => S.BuiltinOptions.MulOptions,
                    _ => S.BuiltinOptions.DivOptions,
                };
                return (type, fb.EndTable());
            }
            case Op.PAD: return Empty(fb, S.BuiltinOptions.PadOptions);
            case Op.PADV2: return Empty(fb, S.BuiltinOptions.PadV2Options);
            case Op.MIRROR_PAD: return Empty(fb, S.BuiltinOptions.MirrorPadOptions); // mode: the IR keeps none, REFLECT is the default
            case Op.TRANSPOSE: return Empty(fb, S.BuiltinOptions.TransposeOptions);
            case Op.RESHAPE:
            {
                var newShape = Optional<ReshapeAttributes>(op, field)?.NewShape;
                var vec = newShape is null ? 0
                    : fb.CreateIntVector(newShape.Select((d, i) => TfliteExporter.ToInt32(d, $"{field}.builtin_options.new_shape[{i}]")).ToArray());
                fb.StartTable(S.ReshapeOptions.NewShape + 1);
                fb.AddOffset(S.ReshapeOptions.NewShape, vec);
                return (S.BuiltinOptions.ReshapeOptions, fb.EndTable());
            }
            case Op.RESIZE_BILINEAR:
            {
                var r = Need<ResizeAttributes>(op, field);
                fb.StartTable(S.ResizeBilinearOptions.HalfPixelCenters + 1);
                fb.AddBool(S.ResizeBilinearOptions.AlignCorners, r.AlignCorners);
                fb.AddBool(S.ResizeBilinearOptions.HalfPixelCenters, r.HalfPixelCenters);
                return (S.BuiltinOptions.ResizeBilinearOptions, fb.EndTable());
            }
            case Op.RESIZE_NEAREST_NEIGHBOR:
            {
                var r = Need<ResizeAttributes>(op, field);
                fb.StartTable(S.ResizeNearestNeighborOptions.HalfPixelCenters + 1);
                fb.AddBool(S.ResizeNearestNeighborOptions.AlignCorners, r.AlignCorners);
                fb.AddBool(S.ResizeNearestNeighborOptions.HalfPixelCenters, r.HalfPixelCenters);
                return (S.BuiltinOptions.ResizeNearestNeighborOptions, fb.EndTable());
            }
            case Op.STRIDED_SLICE:
            {
                var x = Need<StridedSliceAttributes>(op, field);
                fb.StartTable(S.StridedSliceOptions.Offset + 1);
                fb.AddInt(S.StridedSliceOptions.BeginMask, x.BeginMask);
                fb.AddInt(S.StridedSliceOptions.EndMask, x.EndMask);
                fb.AddInt(S.StridedSliceOptions.EllipsisMask, x.EllipsisMask);
                fb.AddInt(S.StridedSliceOptions.NewAxisMask, x.NewAxisMask);
                fb.AddInt(S.StridedSliceOptions.ShrinkAxisMask, x.ShrinkAxisMask);
                fb.AddBool(S.StridedSliceOptions.Offset, x.Offset);
                return (S.BuiltinOptions.StridedSliceOptions, fb.EndTable());
            }
            case Op.SPLIT or Op.SPLIT_V:
            {
                var count = Optional<AxisAttributes>(op, field)?.Count is > 0 and var c ? c : op.Outputs.Count;
                fb.StartTable(S.SplitOptions.NumSplits + 1);
                fb.AddInt(S.SplitOptions.NumSplits, count);
                return (code == Op.SPLIT ? S.BuiltinOptions.SplitOptions : S.BuiltinOptions.SplitVOptions, fb.EndTable());
            }
            case Op.SOFTMAX:
            {
                var x = Need<SoftmaxAttributes>(op, field);
                fb.StartTable(S.SoftmaxOptions.Beta + 1);
                fb.AddFloat(S.SoftmaxOptions.Beta, x.Beta);
                return (S.BuiltinOptions.SoftmaxOptions, fb.EndTable());
            }
            case Op.MEAN or Op.SUM or Op.REDUCE_MAX or Op.REDUCE_MIN or Op.REDUCE_PROD or Op.REDUCE_ANY or Op.REDUCE_ALL:
            {
                var x = Need<ReduceAttributes>(op, field);
                fb.StartTable(S.ReducerOptions.KeepDims + 1);
                fb.AddBool(S.ReducerOptions.KeepDims, x.KeepDims);
                return (S.BuiltinOptions.ReducerOptions, fb.EndTable());
            }
            case Op.DEPTH_TO_SPACE or Op.SPACE_TO_DEPTH:
            {
                var x = Need<BlockAttributes>(op, field);
                fb.StartTable(S.DepthToSpaceOptions.BlockSize + 1);
                fb.AddInt(S.DepthToSpaceOptions.BlockSize, x.BlockSize);
                return (code == Op.DEPTH_TO_SPACE ? S.BuiltinOptions.DepthToSpaceOptions : S.BuiltinOptions.SpaceToDepthOptions, fb.EndTable());
            }
            case Op.LEAKY_RELU:
            {
                var x = Need<LeakyReluAttributes>(op, field);
                fb.StartTable(S.LeakyReluOptions.Alpha + 1);
                fb.AddFloat(S.LeakyReluOptions.Alpha, x.Alpha);
                return (S.BuiltinOptions.LeakyReluOptions, fb.EndTable());
            }
            case Op.SQUEEZE:
            {
                var axes = Optional<SqueezeAttributes>(op, field)?.Axes;
                var vec = axes is null || axes.Count == 0 ? 0 : fb.CreateIntVector(axes.ToArray());
                fb.StartTable(S.SqueezeOptions.SqueezeDims + 1);
                fb.AddOffset(S.SqueezeOptions.SqueezeDims, vec);
                return (S.BuiltinOptions.SqueezeOptions, fb.EndTable());
            }
            case Op.GATHER:
            {
                var x = Need<AxisAttributes>(op, field);
                fb.StartTable(S.GatherOptions.BatchDims + 1);
                fb.AddInt(S.GatherOptions.Axis, x.Axis);
                return (S.BuiltinOptions.GatherOptions, fb.EndTable());
            }
            case Op.PACK or Op.UNPACK:
            {
                var x = Need<AxisAttributes>(op, field);
                var count = x.Count > 0 ? x.Count : code == Op.PACK ? op.Inputs.Count : op.Outputs.Count;
                fb.StartTable(S.PackOptions.Axis + 1); // PackOptions {values_count, axis} and UnpackOptions {num, axis} share the layout
                fb.AddInt(S.PackOptions.ValuesCount, count);
                fb.AddInt(S.PackOptions.Axis, x.Axis);
                return (code == Op.PACK ? S.BuiltinOptions.PackOptions : S.BuiltinOptions.UnpackOptions, fb.EndTable());
            }
            case Op.ARG_MAX or Op.ARG_MIN:
                return TypeOption(fb, op, field, code == Op.ARG_MAX ? S.BuiltinOptions.ArgMaxOptions : S.BuiltinOptions.ArgMinOptions);
            case Op.SHAPE:
                return TypeOption(fb, op, field, S.BuiltinOptions.ShapeOptions);
            case Op.CAST:
            {
                sbyte from = -1, to = -1;
                if (op.Input(0) is { } i && !S.TryGetTensorType(i.Type, out from)) from = -1;
                if (op.Output(0) is { } o && !S.TryGetTensorType(o.Type, out to)) to = -1;
                fb.StartTable(S.CastOptions.OutDataType + 1);
                if (from >= 0) fb.AddSByte(S.CastOptions.InDataType, from);
                if (to >= 0) fb.AddSByte(S.CastOptions.OutDataType, to);
                return (S.BuiltinOptions.CastOptions, fb.EndTable());
            }
            case Op.BATCH_MATMUL:
            {
                var x = Need<BatchMatMulAttributes>(op, field);
                fb.StartTable(S.BatchMatMulOptions.AsymmetricQuantizeInputs + 1);
                fb.AddBool(S.BatchMatMulOptions.AdjX, x.AdjX);
                fb.AddBool(S.BatchMatMulOptions.AdjY, x.AdjY);
                return (S.BuiltinOptions.BatchMatMulOptions, fb.EndTable());
            }
            case Op.LSTM:
            {
                var x = Need<LstmAttributes>(op, field);
                fb.StartTable(S.LSTMOptions.AsymmetricQuantizeInputs + 1);
                fb.AddSByte(S.LSTMOptions.FusedActivationFunction, S.ActivationFunctionTypeOf(x.Activation));
                fb.AddFloat(S.LSTMOptions.CellClip, x.CellClip);
                fb.AddFloat(S.LSTMOptions.ProjClip, x.ProjClip);
                return (S.BuiltinOptions.LSTMOptions, fb.EndTable());
            }
            case Op.UNIDIRECTIONAL_SEQUENCE_LSTM:
            {
                var x = Need<LstmAttributes>(op, field);
                fb.StartTable(S.UnidirectionalSequenceLSTMOptions.DiagonalRecurrentTensors + 1);
                fb.AddSByte(S.UnidirectionalSequenceLSTMOptions.FusedActivationFunction, S.ActivationFunctionTypeOf(x.Activation));
                fb.AddFloat(S.UnidirectionalSequenceLSTMOptions.CellClip, x.CellClip);
                fb.AddFloat(S.UnidirectionalSequenceLSTMOptions.ProjClip, x.ProjClip);
                fb.AddBool(S.UnidirectionalSequenceLSTMOptions.TimeMajor, x.TimeMajor);
                return (S.BuiltinOptions.UnidirectionalSequenceLSTMOptions, fb.EndTable());
            }
            case Op.BIDIRECTIONAL_SEQUENCE_LSTM:
            {
                var x = Need<LstmAttributes>(op, field);
                fb.StartTable(S.BidirectionalSequenceLSTMOptions.AsymmetricQuantizeInputs + 1);
                fb.AddSByte(S.BidirectionalSequenceLSTMOptions.FusedActivationFunction, S.ActivationFunctionTypeOf(x.Activation));
                fb.AddFloat(S.BidirectionalSequenceLSTMOptions.CellClip, x.CellClip);
                fb.AddFloat(S.BidirectionalSequenceLSTMOptions.ProjClip, x.ProjClip);
                fb.AddBool(S.BidirectionalSequenceLSTMOptions.TimeMajor, x.TimeMajor, S.BidirectionalSequenceLSTMOptions.DefaultTimeMajor);
                return (S.BuiltinOptions.BidirectionalSequenceLSTMOptions, fb.EndTable());
            }
            case Op.IF or Op.WHILE:
            {
                var x = Need<ControlFlowAttributes>(op, field);
                if (x.BodySubgraphs.Count != 2)
                    throw TfliteExporter.Fail($"{op.TypeName} '{op.Name}' needs 2 subgraphs, has {x.BodySubgraphs.Count}", field + ".builtin_options");
                fb.StartTable(2); // IfOptions {then, else} and WhileOptions {cond, body}
                fb.AddInt(S.IfOptions.ThenSubgraphIndex, x.BodySubgraphs[0]);
                fb.AddInt(S.IfOptions.ElseSubgraphIndex, x.BodySubgraphs[1]);
                return (code == Op.IF ? S.BuiltinOptions.IfOptions : S.BuiltinOptions.WhileOptions, fb.EndTable());
            }
            case Op.CALL_ONCE:
            {
                var x = Need<ControlFlowAttributes>(op, field);
                if (x.BodySubgraphs.Count != 1)
                    throw TfliteExporter.Fail($"CALL_ONCE '{op.Name}' needs 1 subgraph, has {x.BodySubgraphs.Count}", field + ".builtin_options");
                fb.StartTable(S.CallOnceOptions.InitSubgraphIndex + 1);
                fb.AddInt(S.CallOnceOptions.InitSubgraphIndex, x.BodySubgraphs[0]);
                return (S.BuiltinOptions.CallOnceOptions, fb.EndTable());
            }
            case Op.CALL:
            {
                var x = Need<ControlFlowAttributes>(op, field);
                if (x.BodySubgraphs.Count != 1 || x.BodySubgraphs[0] < 0)
                    throw TfliteExporter.Fail($"CALL '{op.Name}' needs 1 subgraph, has {x.BodySubgraphs.Count}", field + ".builtin_options");
                fb.StartTable(S.CallOptions.Subgraph + 1);
                fb.AddUInt(S.CallOptions.Subgraph, (uint)x.BodySubgraphs[0]);
                return (S.BuiltinOptions.CallOptions, fb.EndTable());
            }
            default:
                // No options table, or one that holds nothing the IR records.
                return (S.BuiltinOptions.NONE, 0);
        }
    }

    private static (byte, int) Empty(FlatBufferBuilder fb, byte type)
    {
        fb.StartTable(0);
        return (type, fb.EndTable());
    }

    /// <summary>ARG_MAX/ARG_MIN/SHAPE record their output type, which the output tensor carries.</summary>
    private static (byte, int) TypeOption(FlatBufferBuilder fb, Operator op, string field, byte type)
    {
        var output = op.Output(0) ?? throw TfliteExporter.Fail($"{op.TypeName} '{op.Name}' has no output", field + ".outputs");
        if (!S.TryGetTensorType(output.Type, out var t))
            throw TfliteExporter.Fail($"{op.TypeName} output type {output.Type.Name()} has no TFLite TensorType", field + ".outputs[0]");
        fb.StartTable(1); // ArgMaxOptions.output_type, ArgMinOptions.output_type and ShapeOptions.out_type are all field 0
        fb.AddSByte(S.ArgMaxOptions.OutputType, t);
        return (type, fb.EndTable());
    }

    private static T Need<T>(Operator op, string field) where T : OpAttributes =>
        op.Attributes as T ?? throw TfliteExporter.Fail(
            $"{op.TypeName} '{op.Name}' needs {typeof(T).Name} to write its options, has {op.Attributes?.GetType().Name ?? "none"}",
            field + ".builtin_options");

    private static T? Optional<T>(Operator op, string field) where T : OpAttributes =>
        op.Attributes switch
        {
            null => null,
            T t => t,
            _ => throw TfliteExporter.Fail($"{op.TypeName} '{op.Name}' carries {op.Attributes.GetType().Name}, expected {typeof(T).Name}", field + ".builtin_options"),
        };

    /// <summary>SAME/VALID as written; explicit amounts only when they are zero (VALID), since TFLite has no explicit padding.</summary>
    private static sbyte PaddingOf(Padding2D padding, Operator op, string field) => padding.Kind switch
    {
        PaddingKind.Same => S.Padding.SAME,
        PaddingKind.Valid => S.Padding.VALID,
        _ when padding.IsZero => S.Padding.VALID,
        _ => throw TfliteExporter.Fail(
            $"{op.TypeName} '{op.Name}' has explicit padding {padding.Top},{padding.Bottom},{padding.Left},{padding.Right}, which TFLite cannot express without a PAD op",
            field + ".builtin_options.padding"),
    };
}
