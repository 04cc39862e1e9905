using NpuAdvisor.Model;

namespace NpuAdvisor.Targets;

/// <summary>
/// TFLite BuiltinOperator numbers (schema.fbs) of the op kinds, so a VeriSilicon fallback message can
/// say "op 99" the way the vx-delegate logs it. Null for kinds TFLite has no builtin for (ONNX-only).
/// </summary>
internal static class VeriSiliconBuiltinCodes
{
    public static int? Of(OpKind kind) => kind switch
    {
        OpKind.Add => 0, OpKind.AveragePool2D => 1, OpKind.Concatenation => 2, OpKind.Conv2D => 3,
        OpKind.DepthwiseConv2D => 4, OpKind.DepthToSpace => 5, OpKind.Dequantize => 6, OpKind.Floor => 8,
        OpKind.FullyConnected => 9, OpKind.L2Normalization => 11, OpKind.L2Pool2D => 12,
        OpKind.LocalResponseNormalization => 13, OpKind.Logistic => 14, OpKind.Lstm => 16, OpKind.MaxPool2D => 17,
        OpKind.Mul => 18, OpKind.Relu => 19, OpKind.ReluN1To1 => 20, OpKind.Relu6 => 21, OpKind.Reshape => 22,
        OpKind.ResizeBilinear => 23, OpKind.Rnn => 24, OpKind.Softmax => 25, OpKind.SpaceToDepth => 26,
        OpKind.Tanh => 28, OpKind.Custom => 32, OpKind.Pad => 34, OpKind.UnidirectionalSequenceRnn => 35,
        OpKind.Gather => 36, OpKind.BatchToSpaceNd => 37, OpKind.SpaceToBatchNd => 38, OpKind.Transpose => 39,
        OpKind.Mean => 40, OpKind.Sub => 41, OpKind.Div => 42, OpKind.Squeeze => 43,
        OpKind.UnidirectionalSequenceLstm => 44, OpKind.StridedSlice => 45, OpKind.Exp => 47, OpKind.TopKV2 => 48,
        OpKind.Split => 49, OpKind.LogSoftmax => 50, OpKind.BidirectionalSequenceLstm => 52, OpKind.Cast => 53,
        OpKind.PRelu => 54, OpKind.Maximum => 55, OpKind.ArgMax => 56, OpKind.Minimum => 57, OpKind.Less => 58,
        OpKind.Neg => 59, OpKind.PadV2 => 60, OpKind.Greater => 61, OpKind.GreaterEqual => 62,
        OpKind.LessEqual => 63, OpKind.Select => 64, OpKind.Slice => 65, OpKind.Sin => 66,
        OpKind.TransposeConv => 67, OpKind.Tile => 69, OpKind.ExpandDims => 70, OpKind.Equal => 71,
        OpKind.NotEqual => 72, OpKind.Log => 73, OpKind.Sum => 74, OpKind.Sqrt => 75, OpKind.Rsqrt => 76,
        OpKind.Shape => 77, OpKind.Pow => 78, OpKind.ArgMin => 79, OpKind.ReduceProd => 81, OpKind.ReduceMax => 82,
        OpKind.Pack => 83, OpKind.LogicalOr => 84, OpKind.OneHot => 85, OpKind.LogicalAnd => 86,
        OpKind.LogicalNot => 87, OpKind.Unpack => 88, OpKind.ReduceMin => 89, OpKind.FloorDiv => 90,
        OpKind.ReduceAny => 91, OpKind.Square => 92, OpKind.Fill => 94, OpKind.FloorMod => 95, OpKind.Range => 96,
        OpKind.ResizeNearestNeighbor => 97, OpKind.LeakyRelu => 98, OpKind.SquaredDifference => 99,
        OpKind.MirrorPad => 100, OpKind.Abs => 101, OpKind.SplitV => 102, OpKind.Ceil => 104,
        OpKind.ReverseV2 => 105, OpKind.AddN => 106, OpKind.GatherNd => 107, OpKind.Cos => 108, OpKind.Where => 109,
        OpKind.Elu => 111, OpKind.Quantize => 114, OpKind.Round => 116, OpKind.HardSwish => 117, OpKind.If => 118,
        OpKind.While => 119, OpKind.NonMaxSuppression => 120, OpKind.ScatterNd => 122, OpKind.Densify => 124,
        OpKind.BatchMatMul => 126, OpKind.CallOnce => 129, OpKind.BroadcastTo => 130, OpKind.Conv3D => 132,
        OpKind.Gelu => 150, OpKind.Relu0To1 => 152, OpKind.Sign => 158,
        _ => null,
    };

    /// <summary>"op 99 (SQUARED_DIFFERENCE)" or "op Erf" for kinds without a TFLite code.</summary>
    public static string Describe(Operator op) =>
        Of(op.Kind) is { } code ? $"op {code} ({op.TypeName})" : $"op {op.TypeName}";
}
