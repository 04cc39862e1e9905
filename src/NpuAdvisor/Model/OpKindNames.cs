namespace NpuAdvisor.Model;

/// <summary>Report names of <see cref="OpKind"/>: TFLite builtin spelling where TFLite has the op.</summary>
public static class OpKindNames
{
    private static readonly Dictionary<OpKind, string> Names = new()
    {
        [OpKind.Conv2D] = "CONV_2D", [OpKind.DepthwiseConv2D] = "DEPTHWISE_CONV_2D", [OpKind.TransposeConv] = "TRANSPOSE_CONV",
        [OpKind.Conv3D] = "CONV_3D", [OpKind.FullyConnected] = "FULLY_CONNECTED", [OpKind.BatchMatMul] = "BATCH_MATMUL",
        [OpKind.AveragePool2D] = "AVERAGE_POOL_2D", [OpKind.MaxPool2D] = "MAX_POOL_2D", [OpKind.L2Pool2D] = "L2_POOL_2D",
        [OpKind.ReduceMax] = "REDUCE_MAX", [OpKind.ReduceMin] = "REDUCE_MIN", [OpKind.ReduceProd] = "REDUCE_PROD",
        [OpKind.ReduceAny] = "REDUCE_ANY", [OpKind.ArgMax] = "ARG_MAX", [OpKind.ArgMin] = "ARG_MIN",
        [OpKind.AddN] = "ADD_N", [OpKind.FloorDiv] = "FLOOR_DIV", [OpKind.FloorMod] = "FLOOR_MOD",
        [OpKind.SquaredDifference] = "SQUARED_DIFFERENCE", [OpKind.NotEqual] = "NOT_EQUAL", [OpKind.LessEqual] = "LESS_EQUAL",
        [OpKind.GreaterEqual] = "GREATER_EQUAL", [OpKind.LogicalAnd] = "LOGICAL_AND", [OpKind.LogicalOr] = "LOGICAL_OR",
        [OpKind.LogicalNot] = "LOGICAL_NOT", [OpKind.ReluN1To1] = "RELU_N1_TO_1", [OpKind.Relu0To1] = "RELU_0_TO_1",
        [OpKind.LeakyRelu] = "LEAKY_RELU", [OpKind.HardSwish] = "HARD_SWISH", [OpKind.HardSigmoid] = "HARD_SIGMOID",
        [OpKind.LogSoftmax] = "LOG_SOFTMAX", [OpKind.L2Normalization] = "L2_NORMALIZATION",
        [OpKind.LocalResponseNormalization] = "LOCAL_RESPONSE_NORMALIZATION", [OpKind.BatchNormalization] = "BATCH_NORMALIZATION",
        [OpKind.InstanceNormalization] = "INSTANCE_NORMALIZATION", [OpKind.ExpandDims] = "EXPAND_DIMS",
        [OpKind.Concatenation] = "CONCATENATION", [OpKind.SplitV] = "SPLIT_V", [OpKind.StridedSlice] = "STRIDED_SLICE",
        [OpKind.GatherNd] = "GATHER_ND", [OpKind.ScatterNd] = "SCATTER_ND", [OpKind.OneHot] = "ONE_HOT",
        [OpKind.PadV2] = "PADV2", [OpKind.MirrorPad] = "MIRROR_PAD", [OpKind.BroadcastTo] = "BROADCAST_TO",
        [OpKind.ResizeBilinear] = "RESIZE_BILINEAR", [OpKind.ResizeNearestNeighbor] = "RESIZE_NEAREST_NEIGHBOR",
        [OpKind.DepthToSpace] = "DEPTH_TO_SPACE", [OpKind.SpaceToDepth] = "SPACE_TO_DEPTH",
        [OpKind.SpaceToBatchNd] = "SPACE_TO_BATCH_ND", [OpKind.BatchToSpaceNd] = "BATCH_TO_SPACE_ND",
        [OpKind.ConstantOfShape] = "CONSTANT_OF_SHAPE", [OpKind.TopKV2] = "TOPK_V2", [OpKind.NonMaxSuppression] = "NON_MAX_SUPPRESSION",
        [OpKind.ReverseV2] = "REVERSE_V2", [OpKind.UnidirectionalSequenceLstm] = "UNIDIRECTIONAL_SEQUENCE_LSTM",
        [OpKind.BidirectionalSequenceLstm] = "BIDIRECTIONAL_SEQUENCE_LSTM", [OpKind.UnidirectionalSequenceRnn] = "UNIDIRECTIONAL_SEQUENCE_RNN",
        [OpKind.CallOnce] = "CALL_ONCE", [OpKind.Relu6] = "RELU6",
    };

    private static readonly Dictionary<string, OpKind> ByName =
        Enum.GetValues<OpKind>().ToDictionary(Of, k => k, StringComparer.Ordinal);

    /// <summary>CONV_2D for Conv2D; members without an explicit spelling are upper-cased (ADD, RELU…).</summary>
    public static string Of(OpKind kind) => Names.TryGetValue(kind, out var n) ? n : kind.ToString().ToUpperInvariant();

    public static bool TryParse(string name, out OpKind kind) => ByName.TryGetValue(name, out kind);
}
