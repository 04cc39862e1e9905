namespace NpuAdvisor.Model;

/// <summary>
/// Canonical operator kinds. Names follow TFLite's builtin operators (the vocabulary the vendor tables
/// use); ONNX ops map onto them, and ONNX-only ops have their own members. <see cref="OpKindNames"/>
/// gives the report name (CONV_2D…).
/// </summary>
public enum OpKind
{
    Unknown,
    Custom,

    // Convolution-like
    Conv2D, DepthwiseConv2D, TransposeConv, Conv3D, FullyConnected, BatchMatMul,

    // Pooling and reduction
    AveragePool2D, MaxPool2D, L2Pool2D, Mean, Sum, ReduceMax, ReduceMin, ReduceProd, ReduceAny, ArgMax, ArgMin,

    // Element-wise binary
    Add, AddN, Sub, Mul, Div, FloorDiv, FloorMod, Pow, SquaredDifference, Maximum, Minimum,
    Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, LogicalAnd, LogicalOr, LogicalNot,

    // Element-wise unary and activations
    Relu, Relu6, ReluN1To1, Relu0To1, LeakyRelu, PRelu, Logistic, Tanh, HardSwish, HardSigmoid, Gelu, Elu,
    Softmax, LogSoftmax, Exp, Log, Sqrt, Rsqrt, Square, Abs, Neg, Sin, Cos, Floor, Ceil, Round, Sign, Clip,
    L2Normalization, LocalResponseNormalization, BatchNormalization, InstanceNormalization,

    // Shape and data movement
    Reshape, Squeeze, ExpandDims, Transpose, Concatenation, Pack, Unpack, Split, SplitV, Slice, StridedSlice,
    Gather, GatherNd, ScatterNd, OneHot, Pad, PadV2, MirrorPad, Tile, BroadcastTo, ResizeBilinear,
    ResizeNearestNeighbor, DepthToSpace, SpaceToDepth, SpaceToBatchNd, BatchToSpaceNd, Shape, Fill, Range,
    ConstantOfShape, Flatten, Identity, Cast, Where, Select, TopKV2, NonMaxSuppression, ReverseV2,

    // Quantization and storage
    Quantize, Dequantize, Densify,

    // Sequence models
    Lstm, UnidirectionalSequenceLstm, BidirectionalSequenceLstm, Rnn, UnidirectionalSequenceRnn, Gru,

    // Control flow (bodies live in other subgraphs)
    If, While, CallOnce, Loop, Scan,
}
