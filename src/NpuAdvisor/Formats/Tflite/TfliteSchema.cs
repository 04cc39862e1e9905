using System.Collections.Frozen;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Tflite;

/// <summary>
/// Facts of the TFLite flatbuffer schema (tensorflow/compiler/mlir/lite/schema/schema.fbs, revision 3c):
/// enum values, union type ids and table field ids, shared by the reader and the writer.
/// A table's field id is its declaration index (deprecated fields keep theirs; a union field takes
/// two ids, its type byte first); its vtable entry sits at byte <see cref="VTableEntry"/>(id).
/// </summary>
public static class TfliteSchema
{
    public const string FileIdentifier = "TFL3";
    public const string FileExtension = "tflite";

    /// <summary>TFLITE_SCHEMA_VERSION: Model.version of every current file.</summary>
    public const uint SchemaVersion = 3;

    /// <summary>Byte offset of field <paramref name="fieldId"/>'s entry inside a vtable (after the vtable and table sizes).</summary>
    public static int VTableEntry(int fieldId) => 4 + 2 * fieldId;

    /// <summary>BuiltinOperator codes (enum BuiltinOperator : int32), named as in the schema.</summary>
    public static class BuiltinOperator
    {
        public const int ADD = 0;
        public const int AVERAGE_POOL_2D = 1;
        public const int CONCATENATION = 2;
        public const int CONV_2D = 3;
        public const int DEPTHWISE_CONV_2D = 4;
        public const int DEPTH_TO_SPACE = 5;
        public const int DEQUANTIZE = 6;
        public const int EMBEDDING_LOOKUP = 7;
        public const int FLOOR = 8;
        public const int FULLY_CONNECTED = 9;
        public const int HASHTABLE_LOOKUP = 10;
        public const int L2_NORMALIZATION = 11;
        public const int L2_POOL_2D = 12;
        public const int LOCAL_RESPONSE_NORMALIZATION = 13;
        public const int LOGISTIC = 14;
        public const int LSH_PROJECTION = 15;
        public const int LSTM = 16;
        public const int MAX_POOL_2D = 17;
        public const int MUL = 18;
        public const int RELU = 19;
        public const int RELU_N1_TO_1 = 20;
        public const int RELU6 = 21;
        public const int RESHAPE = 22;
        public const int RESIZE_BILINEAR = 23;
        public const int RNN = 24;
        public const int SOFTMAX = 25;
        public const int SPACE_TO_DEPTH = 26;
        public const int SVDF = 27;
        public const int TANH = 28;
        public const int CONCAT_EMBEDDINGS = 29;
        public const int SKIP_GRAM = 30;
        public const int CALL = 31;
        public const int CUSTOM = 32;
        public const int EMBEDDING_LOOKUP_SPARSE = 33;
        public const int PAD = 34;
        public const int UNIDIRECTIONAL_SEQUENCE_RNN = 35;
        public const int GATHER = 36;
        public const int BATCH_TO_SPACE_ND = 37;
        public const int SPACE_TO_BATCH_ND = 38;
        public const int TRANSPOSE = 39;
        public const int MEAN = 40;
        public const int SUB = 41;
        public const int DIV = 42;
        public const int SQUEEZE = 43;
        public const int UNIDIRECTIONAL_SEQUENCE_LSTM = 44;
        public const int STRIDED_SLICE = 45;
        public const int BIDIRECTIONAL_SEQUENCE_RNN = 46;
        public const int EXP = 47;
        public const int TOPK_V2 = 48;
        public const int SPLIT = 49;
        public const int LOG_SOFTMAX = 50;
        public const int DELEGATE = 51;
        public const int BIDIRECTIONAL_SEQUENCE_LSTM = 52;
        public const int CAST = 53;
        public const int PRELU = 54;
        public const int MAXIMUM = 55;
        public const int ARG_MAX = 56;
        public const int MINIMUM = 57;
        public const int LESS = 58;
        public const int NEG = 59;
        public const int PADV2 = 60;
        public const int GREATER = 61;
        public const int GREATER_EQUAL = 62;
        public const int LESS_EQUAL = 63;
        public const int SELECT = 64;
        public const int SLICE = 65;
        public const int SIN = 66;
        public const int TRANSPOSE_CONV = 67;
        public const int SPARSE_TO_DENSE = 68;
        public const int TILE = 69;
        public const int EXPAND_DIMS = 70;
        public const int EQUAL = 71;
        public const int NOT_EQUAL = 72;
        public const int LOG = 73;
        public const int SUM = 74;
        public const int SQRT = 75;
        public const int RSQRT = 76;
        public const int SHAPE = 77;
        public const int POW = 78;
        public const int ARG_MIN = 79;
        public const int FAKE_QUANT = 80;
        public const int REDUCE_PROD = 81;
        public const int REDUCE_MAX = 82;
        public const int PACK = 83;
        public const int LOGICAL_OR = 84;
        public const int ONE_HOT = 85;
        public const int LOGICAL_AND = 86;
        public const int LOGICAL_NOT = 87;
        public const int UNPACK = 88;
        public const int REDUCE_MIN = 89;
        public const int FLOOR_DIV = 90;
        public const int REDUCE_ANY = 91;
        public const int SQUARE = 92;
        public const int ZEROS_LIKE = 93;
        public const int FILL = 94;
        public const int FLOOR_MOD = 95;
        public const int RANGE = 96;
        public const int RESIZE_NEAREST_NEIGHBOR = 97;
        public const int LEAKY_RELU = 98;
        public const int SQUARED_DIFFERENCE = 99;
        public const int MIRROR_PAD = 100;
        public const int ABS = 101;
        public const int SPLIT_V = 102;
        public const int UNIQUE = 103;
        public const int CEIL = 104;
        public const int REVERSE_V2 = 105;
        public const int ADD_N = 106;
        public const int GATHER_ND = 107;
        public const int COS = 108;
        public const int WHERE = 109;
        public const int RANK = 110;
        public const int ELU = 111;
        public const int REVERSE_SEQUENCE = 112;
        public const int MATRIX_DIAG = 113;
        public const int QUANTIZE = 114;
        public const int MATRIX_SET_DIAG = 115;
        public const int ROUND = 116;
        public const int HARD_SWISH = 117;
        public const int IF = 118;
        public const int WHILE = 119;
        public const int NON_MAX_SUPPRESSION_V4 = 120;
        public const int NON_MAX_SUPPRESSION_V5 = 121;
        public const int SCATTER_ND = 122;
        public const int SELECT_V2 = 123;
        public const int DENSIFY = 124;
        public const int SEGMENT_SUM = 125;
        public const int BATCH_MATMUL = 126;
        public const int PLACEHOLDER_FOR_GREATER_OP_CODES = 127;
        public const int CUMSUM = 128;
        public const int CALL_ONCE = 129;
        public const int BROADCAST_TO = 130;
        public const int RFFT2D = 131;
        public const int CONV_3D = 132;
        public const int IMAG = 133;
        public const int REAL = 134;
        public const int COMPLEX_ABS = 135;
        public const int HASHTABLE = 136;
        public const int HASHTABLE_FIND = 137;
        public const int HASHTABLE_IMPORT = 138;
        public const int HASHTABLE_SIZE = 139;
        public const int REDUCE_ALL = 140;
        public const int CONV_3D_TRANSPOSE = 141;
        public const int VAR_HANDLE = 142;
        public const int READ_VARIABLE = 143;
        public const int ASSIGN_VARIABLE = 144;
        public const int BROADCAST_ARGS = 145;
        public const int RANDOM_STANDARD_NORMAL = 146;
        public const int BUCKETIZE = 147;
        public const int RANDOM_UNIFORM = 148;
        public const int MULTINOMIAL = 149;
        public const int GELU = 150;
        public const int DYNAMIC_UPDATE_SLICE = 151;
        public const int RELU_0_TO_1 = 152;
        public const int UNSORTED_SEGMENT_PROD = 153;
        public const int UNSORTED_SEGMENT_MAX = 154;
        public const int UNSORTED_SEGMENT_SUM = 155;
        public const int ATAN2 = 156;
        public const int UNSORTED_SEGMENT_MIN = 157;
        public const int SIGN = 158;
        public const int BITCAST = 159;
        public const int BITWISE_XOR = 160;
        public const int RIGHT_SHIFT = 161;
        public const int STABLEHLO_LOGISTIC = 162;
        public const int STABLEHLO_ADD = 163;
        public const int STABLEHLO_DIVIDE = 164;
        public const int STABLEHLO_MULTIPLY = 165;
        public const int STABLEHLO_MAXIMUM = 166;
        public const int STABLEHLO_RESHAPE = 167;
        public const int STABLEHLO_CLAMP = 168;
        public const int STABLEHLO_CONCATENATE = 169;
        public const int STABLEHLO_BROADCAST_IN_DIM = 170;
        public const int STABLEHLO_CONVOLUTION = 171;
        public const int STABLEHLO_SLICE = 172;
        public const int STABLEHLO_CUSTOM_CALL = 173;
        public const int STABLEHLO_REDUCE = 174;
        public const int STABLEHLO_ABS = 175;
        public const int STABLEHLO_AND = 176;
        public const int STABLEHLO_COSINE = 177;
        public const int STABLEHLO_EXPONENTIAL = 178;
        public const int STABLEHLO_FLOOR = 179;
        public const int STABLEHLO_LOG = 180;
        public const int STABLEHLO_MINIMUM = 181;
        public const int STABLEHLO_NEGATE = 182;
        public const int STABLEHLO_OR = 183;
        public const int STABLEHLO_POWER = 184;
        public const int STABLEHLO_REMAINDER = 185;
        public const int STABLEHLO_RSQRT = 186;
        public const int STABLEHLO_SELECT = 187;
        public const int STABLEHLO_SUBTRACT = 188;
        public const int STABLEHLO_TANH = 189;
        public const int STABLEHLO_SCATTER = 190;
        public const int STABLEHLO_COMPARE = 191;
        public const int STABLEHLO_CONVERT = 192;
        public const int STABLEHLO_DYNAMIC_SLICE = 193;
        public const int STABLEHLO_DYNAMIC_UPDATE_SLICE = 194;
        public const int STABLEHLO_PAD = 195;
        public const int STABLEHLO_IOTA = 196;
        public const int STABLEHLO_DOT_GENERAL = 197;
        public const int STABLEHLO_REDUCE_WINDOW = 198;
        public const int STABLEHLO_SORT = 199;
        public const int STABLEHLO_WHILE = 200;
        public const int STABLEHLO_GATHER = 201;
        public const int STABLEHLO_TRANSPOSE = 202;
        public const int DILATE = 203;
        public const int STABLEHLO_RNG_BIT_GENERATOR = 204;
        public const int REDUCE_WINDOW = 205;
        public const int STABLEHLO_COMPOSITE = 206;
        public const int STABLEHLO_SHIFT_LEFT = 207;
        public const int STABLEHLO_CBRT = 208;
        public const int STABLEHLO_CASE = 209;
    }

    /// <summary>Number of known builtin codes (0..Count-1); newer files may carry larger ones.</summary>
    public static int BuiltinOperatorCount => BuiltinOperatorNames.Length;

    private static readonly string[] BuiltinOperatorNames =
    [
        "ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE", "DEQUANTIZE", "EMBEDDING_LOOKUP",
        "FLOOR", "FULLY_CONNECTED", "HASHTABLE_LOOKUP", "L2_NORMALIZATION", "L2_POOL_2D", "LOCAL_RESPONSE_NORMALIZATION", "LOGISTIC", "LSH_PROJECTION",
        "LSTM", "MAX_POOL_2D", "MUL", "RELU", "RELU_N1_TO_1", "RELU6", "RESHAPE", "RESIZE_BILINEAR",
        "RNN", "SOFTMAX", "SPACE_TO_DEPTH", "SVDF", "TANH", "CONCAT_EMBEDDINGS", "SKIP_GRAM", "CALL",
        "CUSTOM", "EMBEDDING_LOOKUP_SPARSE", "PAD", "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER", "BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND", "TRANSPOSE",
        "MEAN", "SUB", "DIV", "SQUEEZE", "UNIDIRECTIONAL_SEQUENCE_LSTM", "STRIDED_SLICE", "BIDIRECTIONAL_SEQUENCE_RNN", "EXP",
        "TOPK_V2", "SPLIT", "LOG_SOFTMAX", "DELEGATE", "BIDIRECTIONAL_SEQUENCE_LSTM", "CAST", "PRELU", "MAXIMUM",
        "ARG_MAX", "MINIMUM", "LESS", "NEG", "PADV2", "GREATER", "GREATER_EQUAL", "LESS_EQUAL",
        "SELECT", "SLICE", "SIN", "TRANSPOSE_CONV", "SPARSE_TO_DENSE", "TILE", "EXPAND_DIMS", "EQUAL",
        "NOT_EQUAL", "LOG", "SUM", "SQRT", "RSQRT", "SHAPE", "POW", "ARG_MIN",
        "FAKE_QUANT", "REDUCE_PROD", "REDUCE_MAX", "PACK", "LOGICAL_OR", "ONE_HOT", "LOGICAL_AND", "LOGICAL_NOT",
        "UNPACK", "REDUCE_MIN", "FLOOR_DIV", "REDUCE_ANY", "SQUARE", "ZEROS_LIKE", "FILL", "FLOOR_MOD",
        "RANGE", "RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU", "SQUARED_DIFFERENCE", "MIRROR_PAD", "ABS", "SPLIT_V", "UNIQUE",
        "CEIL", "REVERSE_V2", "ADD_N", "GATHER_ND", "COS", "WHERE", "RANK", "ELU",
        "REVERSE_SEQUENCE", "MATRIX_DIAG", "QUANTIZE", "MATRIX_SET_DIAG", "ROUND", "HARD_SWISH", "IF", "WHILE",
        "NON_MAX_SUPPRESSION_V4", "NON_MAX_SUPPRESSION_V5", "SCATTER_ND", "SELECT_V2", "DENSIFY", "SEGMENT_SUM", "BATCH_MATMUL", "PLACEHOLDER_FOR_GREATER_OP_CODES",
        "CUMSUM", "CALL_ONCE", "BROADCAST_TO", "RFFT2D", "CONV_3D", "IMAG", "REAL", "COMPLEX_ABS",
        "HASHTABLE", "HASHTABLE_FIND", "HASHTABLE_IMPORT", "HASHTABLE_SIZE", "REDUCE_ALL", "CONV_3D_TRANSPOSE", "VAR_HANDLE", "READ_VARIABLE",
        "ASSIGN_VARIABLE", "BROADCAST_ARGS", "RANDOM_STANDARD_NORMAL", "BUCKETIZE", "RANDOM_UNIFORM", "MULTINOMIAL", "GELU", "DYNAMIC_UPDATE_SLICE",
        "RELU_0_TO_1", "UNSORTED_SEGMENT_PROD", "UNSORTED_SEGMENT_MAX", "UNSORTED_SEGMENT_SUM", "ATAN2", "UNSORTED_SEGMENT_MIN", "SIGN", "BITCAST",
        "BITWISE_XOR", "RIGHT_SHIFT", "STABLEHLO_LOGISTIC", "STABLEHLO_ADD", "STABLEHLO_DIVIDE", "STABLEHLO_MULTIPLY", "STABLEHLO_MAXIMUM", "STABLEHLO_RESHAPE",
        "STABLEHLO_CLAMP", "STABLEHLO_CONCATENATE", "STABLEHLO_BROADCAST_IN_DIM", "STABLEHLO_CONVOLUTION", "STABLEHLO_SLICE", "STABLEHLO_CUSTOM_CALL", "STABLEHLO_REDUCE", "STABLEHLO_ABS",
        "STABLEHLO_AND", "STABLEHLO_COSINE", "STABLEHLO_EXPONENTIAL", "STABLEHLO_FLOOR", "STABLEHLO_LOG", "STABLEHLO_MINIMUM", "STABLEHLO_NEGATE", "STABLEHLO_OR",
        "STABLEHLO_POWER", "STABLEHLO_REMAINDER", "STABLEHLO_RSQRT", "STABLEHLO_SELECT", "STABLEHLO_SUBTRACT", "STABLEHLO_TANH", "STABLEHLO_SCATTER", "STABLEHLO_COMPARE",
        "STABLEHLO_CONVERT", "STABLEHLO_DYNAMIC_SLICE", "STABLEHLO_DYNAMIC_UPDATE_SLICE", "STABLEHLO_PAD", "STABLEHLO_IOTA", "STABLEHLO_DOT_GENERAL", "STABLEHLO_REDUCE_WINDOW", "STABLEHLO_SORT",
        "STABLEHLO_WHILE", "STABLEHLO_GATHER", "STABLEHLO_TRANSPOSE", "DILATE", "STABLEHLO_RNG_BIT_GENERATOR", "REDUCE_WINDOW", "STABLEHLO_COMPOSITE", "STABLEHLO_SHIFT_LEFT",
        "STABLEHLO_CBRT", "STABLEHLO_CASE",
    ];

    private static readonly FrozenDictionary<string, int> CodeByName =
        BuiltinOperatorNames.Select((n, i) => (n, i)).ToFrozenDictionary(p => p.n, p => p.i, StringComparer.Ordinal);

    /// <summary>Schema name of a builtin code, or "UNKNOWN(n)" for a code this schema does not list.</summary>
    public static string OperatorName(int code) =>
        code >= 0 && code < BuiltinOperatorNames.Length ? BuiltinOperatorNames[code] : $"UNKNOWN({code})";

    public static bool TryGetBuiltinCode(string name, out int code) => CodeByName.TryGetValue(name, out code);

    /// <summary>Builtin codes the IR has an <see cref="OpKind"/> for; every other code is <see cref="OpKind.Unknown"/> (its name kept as SourceType).</summary>
    private static readonly FrozenDictionary<int, OpKind> KindByCode = new Dictionary<int, OpKind>
    {
        [BuiltinOperator.ADD] = OpKind.Add,
        [BuiltinOperator.AVERAGE_POOL_2D] = OpKind.AveragePool2D,
        [BuiltinOperator.CONCATENATION] = OpKind.Concatenation,
        [BuiltinOperator.CONV_2D] = OpKind.Conv2D,
        [BuiltinOperator.DEPTHWISE_CONV_2D] = OpKind.DepthwiseConv2D,
        [BuiltinOperator.DEPTH_TO_SPACE] = OpKind.DepthToSpace,
        [BuiltinOperator.DEQUANTIZE] = OpKind.Dequantize,
        [BuiltinOperator.FLOOR] = OpKind.Floor,
        [BuiltinOperator.FULLY_CONNECTED] = OpKind.FullyConnected,
        [BuiltinOperator.L2_NORMALIZATION] = OpKind.L2Normalization,
        [BuiltinOperator.L2_POOL_2D] = OpKind.L2Pool2D,
        [BuiltinOperator.LOCAL_RESPONSE_NORMALIZATION] = OpKind.LocalResponseNormalization,
        [BuiltinOperator.LOGISTIC] = OpKind.Logistic,
        [BuiltinOperator.LSTM] = OpKind.Lstm,
        [BuiltinOperator.MAX_POOL_2D] = OpKind.MaxPool2D,
        [BuiltinOperator.MUL] = OpKind.Mul,
        [BuiltinOperator.RELU] = OpKind.Relu,
        [BuiltinOperator.RELU_N1_TO_1] = OpKind.ReluN1To1,
        [BuiltinOperator.RELU6] = OpKind.Relu6,
        [BuiltinOperator.RESHAPE] = OpKind.Reshape,
        [BuiltinOperator.RESIZE_BILINEAR] = OpKind.ResizeBilinear,
        [BuiltinOperator.RNN] = OpKind.Rnn,
        [BuiltinOperator.SOFTMAX] = OpKind.Softmax,
        [BuiltinOperator.SPACE_TO_DEPTH] = OpKind.SpaceToDepth,
        [BuiltinOperator.TANH] = OpKind.Tanh,
        [BuiltinOperator.CUSTOM] = OpKind.Custom,
        [BuiltinOperator.PAD] = OpKind.Pad,
        [BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_RNN] = OpKind.UnidirectionalSequenceRnn,
        [BuiltinOperator.GATHER] = OpKind.Gather,
        [BuiltinOperator.BATCH_TO_SPACE_ND] = OpKind.BatchToSpaceNd,
        [BuiltinOperator.SPACE_TO_BATCH_ND] = OpKind.SpaceToBatchNd,
        [BuiltinOperator.TRANSPOSE] = OpKind.Transpose,
        [BuiltinOperator.MEAN] = OpKind.Mean,
        [BuiltinOperator.SUB] = OpKind.Sub,
        [BuiltinOperator.DIV] = OpKind.Div,
        [BuiltinOperator.SQUEEZE] = OpKind.Squeeze,
        [BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM] = OpKind.UnidirectionalSequenceLstm,
        [BuiltinOperator.STRIDED_SLICE] = OpKind.StridedSlice,
        [BuiltinOperator.EXP] = OpKind.Exp,
        [BuiltinOperator.TOPK_V2] = OpKind.TopKV2,
        [BuiltinOperator.SPLIT] = OpKind.Split,
        [BuiltinOperator.LOG_SOFTMAX] = OpKind.LogSoftmax,
        [BuiltinOperator.BIDIRECTIONAL_SEQUENCE_LSTM] = OpKind.BidirectionalSequenceLstm,
        [BuiltinOperator.CAST] = OpKind.Cast,
        [BuiltinOperator.PRELU] = OpKind.PRelu,
        [BuiltinOperator.MAXIMUM] = OpKind.Maximum,
        [BuiltinOperator.ARG_MAX] = OpKind.ArgMax,
        [BuiltinOperator.MINIMUM] = OpKind.Minimum,
        [BuiltinOperator.LESS] = OpKind.Less,
        [BuiltinOperator.NEG] = OpKind.Neg,
        [BuiltinOperator.PADV2] = OpKind.PadV2,
        [BuiltinOperator.GREATER] = OpKind.Greater,
        [BuiltinOperator.GREATER_EQUAL] = OpKind.GreaterEqual,
        [BuiltinOperator.LESS_EQUAL] = OpKind.LessEqual,
        [BuiltinOperator.SELECT] = OpKind.Select,
        [BuiltinOperator.SLICE] = OpKind.Slice,
        [BuiltinOperator.SIN] = OpKind.Sin,
        [BuiltinOperator.TRANSPOSE_CONV] = OpKind.TransposeConv,
        [BuiltinOperator.TILE] = OpKind.Tile,
        [BuiltinOperator.EXPAND_DIMS] = OpKind.ExpandDims,
        [BuiltinOperator.EQUAL] = OpKind.Equal,
        [BuiltinOperator.NOT_EQUAL] = OpKind.NotEqual,
        [BuiltinOperator.LOG] = OpKind.Log,
        [BuiltinOperator.SUM] = OpKind.Sum,
        [BuiltinOperator.SQRT] = OpKind.Sqrt,
        [BuiltinOperator.RSQRT] = OpKind.Rsqrt,
        [BuiltinOperator.SHAPE] = OpKind.Shape,
        [BuiltinOperator.POW] = OpKind.Pow,
        [BuiltinOperator.ARG_MIN] = OpKind.ArgMin,
        [BuiltinOperator.REDUCE_PROD] = OpKind.ReduceProd,
        [BuiltinOperator.REDUCE_MAX] = OpKind.ReduceMax,
        [BuiltinOperator.PACK] = OpKind.Pack,
        [BuiltinOperator.LOGICAL_OR] = OpKind.LogicalOr,
        [BuiltinOperator.ONE_HOT] = OpKind.OneHot,
        [BuiltinOperator.LOGICAL_AND] = OpKind.LogicalAnd,
        [BuiltinOperator.LOGICAL_NOT] = OpKind.LogicalNot,
        [BuiltinOperator.UNPACK] = OpKind.Unpack,
        [BuiltinOperator.REDUCE_MIN] = OpKind.ReduceMin,
        [BuiltinOperator.FLOOR_DIV] = OpKind.FloorDiv,
        [BuiltinOperator.REDUCE_ANY] = OpKind.ReduceAny,
        [BuiltinOperator.SQUARE] = OpKind.Square,
        [BuiltinOperator.FILL] = OpKind.Fill,
        [BuiltinOperator.FLOOR_MOD] = OpKind.FloorMod,
        [BuiltinOperator.RANGE] = OpKind.Range,
        [BuiltinOperator.RESIZE_NEAREST_NEIGHBOR] = OpKind.ResizeNearestNeighbor,
        [BuiltinOperator.LEAKY_RELU] = OpKind.LeakyRelu,
        [BuiltinOperator.SQUARED_DIFFERENCE] = OpKind.SquaredDifference,
        [BuiltinOperator.MIRROR_PAD] = OpKind.MirrorPad,
        [BuiltinOperator.ABS] = OpKind.Abs,
        [BuiltinOperator.SPLIT_V] = OpKind.SplitV,
        [BuiltinOperator.CEIL] = OpKind.Ceil,
        [BuiltinOperator.REVERSE_V2] = OpKind.ReverseV2,
        [BuiltinOperator.ADD_N] = OpKind.AddN,
        [BuiltinOperator.GATHER_ND] = OpKind.GatherNd,
        [BuiltinOperator.COS] = OpKind.Cos,
        [BuiltinOperator.WHERE] = OpKind.Where,
        [BuiltinOperator.ELU] = OpKind.Elu,
        [BuiltinOperator.QUANTIZE] = OpKind.Quantize,
        [BuiltinOperator.ROUND] = OpKind.Round,
        [BuiltinOperator.HARD_SWISH] = OpKind.HardSwish,
        [BuiltinOperator.IF] = OpKind.If,
        [BuiltinOperator.WHILE] = OpKind.While,
        [BuiltinOperator.NON_MAX_SUPPRESSION_V4] = OpKind.NonMaxSuppression,
        [BuiltinOperator.NON_MAX_SUPPRESSION_V5] = OpKind.NonMaxSuppression,
        [BuiltinOperator.SCATTER_ND] = OpKind.ScatterNd,
        [BuiltinOperator.SELECT_V2] = OpKind.Select,
        [BuiltinOperator.DENSIFY] = OpKind.Densify,
        [BuiltinOperator.BATCH_MATMUL] = OpKind.BatchMatMul,
        [BuiltinOperator.CALL_ONCE] = OpKind.CallOnce,
        [BuiltinOperator.BROADCAST_TO] = OpKind.BroadcastTo,
        [BuiltinOperator.CONV_3D] = OpKind.Conv3D,
        [BuiltinOperator.GELU] = OpKind.Gelu,
        [BuiltinOperator.RELU_0_TO_1] = OpKind.Relu0To1,
        [BuiltinOperator.SIGN] = OpKind.Sign,
    }.ToFrozenDictionary();

    /// <summary>The writer's code for each kind: the lowest code mapping to it (SELECT for Select, NON_MAX_SUPPRESSION_V4 for NonMaxSuppression).</summary>
    private static readonly FrozenDictionary<OpKind, int> CodeByKind =
        KindByCode.OrderBy(p => p.Key).GroupBy(p => p.Value).ToFrozenDictionary(g => g.Key, g => g.First().Key);

    public static OpKind KindOf(int builtinCode) => KindByCode.TryGetValue(builtinCode, out var k) ? k : OpKind.Unknown;

    public static bool TryGetBuiltinCode(OpKind kind, out int code) => CodeByKind.TryGetValue(kind, out code);

    /// <summary>enum TensorType : byte.</summary>
    public static class TensorType
    {
        public const sbyte FLOAT32 = 0, FLOAT16 = 1, INT32 = 2, UINT8 = 3, INT64 = 4, STRING = 5, BOOL = 6, INT16 = 7,
            COMPLEX64 = 8, INT8 = 9, FLOAT64 = 10, COMPLEX128 = 11, UINT64 = 12, RESOURCE = 13, VARIANT = 14,
            UINT32 = 15, UINT16 = 16, INT4 = 17, BFLOAT16 = 18;
    }

    /// <summary>IR type of a TensorType value; <see cref="DataType.Unknown"/> for a value this schema does not list.</summary>
    public static DataType DataTypeOf(int tensorType) => tensorType switch
    {
        TensorType.FLOAT32 => DataType.Float32,
        TensorType.FLOAT16 => DataType.Float16,
        TensorType.INT32 => DataType.Int32,
        TensorType.UINT8 => DataType.UInt8,
        TensorType.INT64 => DataType.Int64,
        TensorType.STRING => DataType.String,
        TensorType.BOOL => DataType.Bool,
        TensorType.INT16 => DataType.Int16,
        TensorType.COMPLEX64 => DataType.Complex64,
        TensorType.INT8 => DataType.Int8,
        TensorType.FLOAT64 => DataType.Float64,
        TensorType.COMPLEX128 => DataType.Complex128,
        TensorType.UINT64 => DataType.UInt64,
        TensorType.RESOURCE => DataType.Resource,
        TensorType.VARIANT => DataType.Variant,
        TensorType.UINT32 => DataType.UInt32,
        TensorType.UINT16 => DataType.UInt16,
        TensorType.INT4 => DataType.Int4,
        TensorType.BFLOAT16 => DataType.BFloat16,
        _ => DataType.Unknown,
    };

    /// <summary>TensorType value of an IR type; false for <see cref="DataType.Unknown"/>.</summary>
    public static bool TryGetTensorType(DataType type, out sbyte tensorType)
    {
        tensorType = type switch
        {
            DataType.Float32 => TensorType.FLOAT32,
            DataType.Float16 => TensorType.FLOAT16,
            DataType.Int32 => TensorType.INT32,
            DataType.UInt8 => TensorType.UINT8,
            DataType.Int64 => TensorType.INT64,
            DataType.String => TensorType.STRING,
            DataType.Bool => TensorType.BOOL,
            DataType.Int16 => TensorType.INT16,
            DataType.Complex64 => TensorType.COMPLEX64,
            DataType.Int8 => TensorType.INT8,
            DataType.Float64 => TensorType.FLOAT64,
            DataType.Complex128 => TensorType.COMPLEX128,
            DataType.UInt64 => TensorType.UINT64,
            DataType.Resource => TensorType.RESOURCE,
            DataType.Variant => TensorType.VARIANT,
            DataType.UInt32 => TensorType.UINT32,
            DataType.UInt16 => TensorType.UINT16,
            DataType.Int4 => TensorType.INT4,
            DataType.BFloat16 => TensorType.BFLOAT16,
            _ => -1,
        };
        return tensorType >= 0;
    }

    /// <summary>enum ActivationFunctionType : byte.</summary>
    public static class ActivationFunctionType
    {
        public const sbyte NONE = 0, RELU = 1, RELU_N1_TO_1 = 2, RELU6 = 3, TANH = 4, SIGN_BIT = 5;
    }

    /// <summary>IR activation of an ActivationFunctionType value; null for a value this schema does not list.</summary>
    public static FusedActivation? FusedActivationOf(int value) => value switch
    {
        ActivationFunctionType.NONE => FusedActivation.None,
        ActivationFunctionType.RELU => FusedActivation.Relu,
        ActivationFunctionType.RELU_N1_TO_1 => FusedActivation.ReluN1To1,
        ActivationFunctionType.RELU6 => FusedActivation.Relu6,
        ActivationFunctionType.TANH => FusedActivation.Tanh,
        ActivationFunctionType.SIGN_BIT => FusedActivation.SignBit,
        _ => null,
    };

    public static sbyte ActivationFunctionTypeOf(FusedActivation activation) => activation switch
    {
        FusedActivation.Relu => ActivationFunctionType.RELU,
        FusedActivation.ReluN1To1 => ActivationFunctionType.RELU_N1_TO_1,
        FusedActivation.Relu6 => ActivationFunctionType.RELU6,
        FusedActivation.Tanh => ActivationFunctionType.TANH,
        FusedActivation.SignBit => ActivationFunctionType.SIGN_BIT,
        _ => ActivationFunctionType.NONE,
    };

    /// <summary>enum Padding : byte.</summary>
    public static class Padding
    {
        public const sbyte SAME = 0, VALID = 1;
    }

    /// <summary>enum DimensionType : byte (sparsity).</summary>
    public static class DimensionType
    {
        public const sbyte DENSE = 0, SPARSE_CSR = 1;
    }

    /// <summary>enum FullyConnectedOptionsWeightsFormat : byte.</summary>
    public static class FullyConnectedOptionsWeightsFormat
    {
        public const sbyte DEFAULT = 0, SHUFFLED4x16INT8 = 1;
    }

    /// <summary>enum MirrorPadMode : byte.</summary>
    public static class MirrorPadMode
    {
        public const sbyte REFLECT = 0, SYMMETRIC = 1;
    }

    /// <summary>enum LSTMKernelType : byte.</summary>
    public static class LSTMKernelType
    {
        public const sbyte FULL = 0, BASIC = 1;
    }

    /// <summary>enum CustomOptionsFormat : byte.</summary>
    public static class CustomOptionsFormat
    {
        public const sbyte FLEXBUFFERS = 0;
    }

    /// <summary>Union QuantizationDetails type ids (0 = NONE).</summary>
    public static class QuantizationDetails
    {
        public const byte NONE = 0, CustomQuantization = 1, BlockwiseQuantization = 2;
    }

    /// <summary>Union SparseIndexVector type ids (0 = NONE).</summary>
    public static class SparseIndexVector
    {
        public const byte NONE = 0, Int32Vector = 1, Uint16Vector = 2, Uint8Vector = 3;
    }

    /// <summary>Union BuiltinOptions type ids (Operator.builtin_options_type; 0 = NONE).</summary>
    public static class BuiltinOptions
    {
        public const byte NONE = 0;
        public const byte Conv2DOptions = 1;
        public const byte DepthwiseConv2DOptions = 2;
        public const byte ConcatEmbeddingsOptions = 3;
        public const byte LSHProjectionOptions = 4;
        public const byte Pool2DOptions = 5;
        public const byte SVDFOptions = 6;
        public const byte RNNOptions = 7;
        public const byte FullyConnectedOptions = 8;
        public const byte SoftmaxOptions = 9;
        public const byte ConcatenationOptions = 10;
        public const byte AddOptions = 11;
        public const byte L2NormOptions = 12;
        public const byte LocalResponseNormalizationOptions = 13;
        public const byte LSTMOptions = 14;
        public const byte ResizeBilinearOptions = 15;
        public const byte CallOptions = 16;
        public const byte ReshapeOptions = 17;
        public const byte SkipGramOptions = 18;
        public const byte SpaceToDepthOptions = 19;
        public const byte EmbeddingLookupSparseOptions = 20;
        public const byte MulOptions = 21;
        public const byte PadOptions = 22;
        public const byte GatherOptions = 23;
        public const byte BatchToSpaceNDOptions = 24;
        public const byte SpaceToBatchNDOptions = 25;
        public const byte TransposeOptions = 26;
        public const byte ReducerOptions = 27;
        public const byte SubOptions = 28;
        public const byte DivOptions = 29;
        public const byte SqueezeOptions = 30;
        public const byte SequenceRNNOptions = 31;
        public const byte StridedSliceOptions = 32;
        public const byte ExpOptions = 33;
        public const byte TopKV2Options = 34;
        public const byte SplitOptions = 35;
        public const byte LogSoftmaxOptions = 36;
        public const byte CastOptions = 37;
        public const byte DequantizeOptions = 38;
        public const byte MaximumMinimumOptions = 39;
        public const byte ArgMaxOptions = 40;
        public const byte LessOptions = 41;
        public const byte NegOptions = 42;
        public const byte PadV2Options = 43;
        public const byte GreaterOptions = 44;
        public const byte GreaterEqualOptions = 45;
        public const byte LessEqualOptions = 46;
        public const byte SelectOptions = 47;
        public const byte SliceOptions = 48;
        public const byte TransposeConvOptions = 49;
        public const byte SparseToDenseOptions = 50;
        public const byte TileOptions = 51;
        public const byte ExpandDimsOptions = 52;
        public const byte EqualOptions = 53;
        public const byte NotEqualOptions = 54;
        public const byte ShapeOptions = 55;
        public const byte PowOptions = 56;
        public const byte ArgMinOptions = 57;
        public const byte FakeQuantOptions = 58;
        public const byte PackOptions = 59;
        public const byte LogicalOrOptions = 60;
        public const byte OneHotOptions = 61;
        public const byte LogicalAndOptions = 62;
        public const byte LogicalNotOptions = 63;
        public const byte UnpackOptions = 64;
        public const byte FloorDivOptions = 65;
        public const byte SquareOptions = 66;
        public const byte ZerosLikeOptions = 67;
        public const byte FillOptions = 68;
        public const byte BidirectionalSequenceLSTMOptions = 69;
        public const byte BidirectionalSequenceRNNOptions = 70;
        public const byte UnidirectionalSequenceLSTMOptions = 71;
        public const byte FloorModOptions = 72;
        public const byte RangeOptions = 73;
        public const byte ResizeNearestNeighborOptions = 74;
        public const byte LeakyReluOptions = 75;
        public const byte SquaredDifferenceOptions = 76;
        public const byte MirrorPadOptions = 77;
        public const byte AbsOptions = 78;
        public const byte SplitVOptions = 79;
        public const byte UniqueOptions = 80;
        public const byte ReverseV2Options = 81;
        public const byte AddNOptions = 82;
        public const byte GatherNdOptions = 83;
        public const byte CosOptions = 84;
        public const byte WhereOptions = 85;
        public const byte RankOptions = 86;
        public const byte ReverseSequenceOptions = 87;
        public const byte MatrixDiagOptions = 88;
        public const byte QuantizeOptions = 89;
        public const byte MatrixSetDiagOptions = 90;
        public const byte HardSwishOptions = 91;
        public const byte IfOptions = 92;
        public const byte WhileOptions = 93;
        public const byte DepthToSpaceOptions = 94;
        public const byte NonMaxSuppressionV4Options = 95;
        public const byte NonMaxSuppressionV5Options = 96;
        public const byte ScatterNdOptions = 97;
        public const byte SelectV2Options = 98;
        public const byte DensifyOptions = 99;
        public const byte SegmentSumOptions = 100;
        public const byte BatchMatMulOptions = 101;
        public const byte CumsumOptions = 102;
        public const byte CallOnceOptions = 103;
        public const byte BroadcastToOptions = 104;
        public const byte Rfft2dOptions = 105;
        public const byte Conv3DOptions = 106;
        public const byte HashtableOptions = 107;
        public const byte HashtableFindOptions = 108;
        public const byte HashtableImportOptions = 109;
        public const byte HashtableSizeOptions = 110;
        public const byte VarHandleOptions = 111;
        public const byte ReadVariableOptions = 112;
        public const byte AssignVariableOptions = 113;
        public const byte RandomOptions = 114;
        public const byte BucketizeOptions = 115;
        public const byte GeluOptions = 116;
        public const byte DynamicUpdateSliceOptions = 117;
        public const byte UnsortedSegmentProdOptions = 118;
        public const byte UnsortedSegmentMaxOptions = 119;
        public const byte UnsortedSegmentMinOptions = 120;
        public const byte UnsortedSegmentSumOptions = 121;
        public const byte ATan2Options = 122;
        public const byte SignOptions = 123;
        public const byte BitcastOptions = 124;
        public const byte BitwiseXorOptions = 125;
        public const byte RightShiftOptions = 126;
    }

    /// <summary>Union BuiltinOptions2 type ids (Operator.builtin_options_2_type; 0 = NONE).</summary>
    public static class BuiltinOptions2
    {
        public const byte NONE = 0;
        public const byte StablehloConcatenateOptions = 1;
        public const byte StablehloBroadcastInDimOptions = 2;
        public const byte StablehloSliceOptions = 3;
        public const byte StablehloConvolutionOptions = 4;
        public const byte StablehloCustomCallOptions = 5;
        public const byte StablehloReduceOptions = 6;
        public const byte StablehloScatterOptions = 7;
        public const byte StablehloCompareOptions = 8;
        public const byte StablehloDynamicSliceOptions = 9;
        public const byte StablehloPadOptions = 10;
        public const byte StablehloIotaOptions = 11;
        public const byte StablehloDotGeneralOptions = 12;
        public const byte StablehloReduceWindowOptions = 13;
        public const byte StablehloSortOptions = 14;
        public const byte StablehloWhileOptions = 15;
        public const byte StablehloGatherOptions = 16;
        public const byte StablehloTransposeOptions = 17;
        public const byte DilateOptions = 18;
        public const byte StablehloRngBitGeneratorOptions = 19;
        public const byte ReduceWindowOptions = 20;
        public const byte StableHLOCompositeOptions = 21;
        public const byte StablehloShiftLeftOptions = 22;
        public const byte StablehloCaseOptions = 23;
    }

    // ---- Table field ids ----

    public static class Model
    {
        public const int Version = 0;
        public const int OperatorCodes = 1;
        public const int Subgraphs = 2;
        public const int Description = 3;
        public const int Buffers = 4;
        public const int MetadataBuffer = 5;
        public const int Metadata = 6;
        public const int SignatureDefs = 7;
    }

    public static class SubGraph
    {
        public const int Tensors = 0;
        public const int Inputs = 1;
        public const int Outputs = 2;
        public const int Operators = 3;
        public const int Name = 4;
        public const int DebugMetadataIndex = 5;
    }

    public static class Tensor
    {
        public const int Shape = 0;
        public const int Type = 1;
        public const int Buffer = 2;
        public const int Name = 3;
        public const int Quantization = 4;
        public const int IsVariable = 5;
        public const int Sparsity = 6;
        public const int ShapeSignature = 7;
        public const int HasRank = 8;
        public const int VariantTensors = 9;
    }

    public static class VariantSubType
    {
        public const int Shape = 0;
        public const int Type = 1;
        public const int HasRank = 2;
    }

    public static class QuantizationParameters
    {
        public const int Min = 0;
        public const int Max = 1;
        public const int Scale = 2;
        public const int ZeroPoint = 3;
        public const int DetailsType = 4;
        public const int Details = 5;
        public const int QuantizedDimension = 6;
    }

    public static class CustomQuantization
    {
        public const int Custom = 0;
    }

    public static class BlockwiseQuantization
    {
        public const int Scales = 0;
        public const int ZeroPoints = 1;
        public const int BlockSize = 2;
    }

    public static class SparsityParameters
    {
        public const int TraversalOrder = 0;
        public const int BlockMap = 1;
        public const int DimMetadata = 2;
    }

    public static class DimensionMetadata
    {
        public const int Format = 0;
        public const int DenseSize = 1;
        public const int ArraySegmentsType = 2;
        public const int ArraySegments = 3;
        public const int ArrayIndicesType = 4;
        public const int ArrayIndices = 5;
    }

    /// <summary>Int32Vector, Uint16Vector and Uint8Vector (members of the SparseIndexVector union) all have one field.</summary>
    public static class IndexVector
    {
        public const int Values = 0;
    }

    public static class OperatorCode
    {
        public const int DeprecatedBuiltinCode = 0;
        public const int CustomCode = 1;
        public const int Version = 2;
        public const int BuiltinCode = 3;
        public const int DefaultVersion = 1;
    }

    public static class Operator
    {
        public const int OpcodeIndex = 0;
        public const int Inputs = 1;
        public const int Outputs = 2;
        public const int BuiltinOptionsType = 3;
        public const int BuiltinOptions = 4;
        public const int CustomOptions = 5;
        public const int CustomOptionsFormat = 6;
        public const int MutatingVariableInputs = 7;
        public const int Intermediates = 8;
        public const int LargeCustomOptionsOffset = 9;
        public const int LargeCustomOptionsSize = 10;
        public const int BuiltinOptions2Type = 11;
        public const int BuiltinOptions2 = 12;
        public const int DebugMetadataIndex = 13;
        /// <summary>Index written in <see cref="Inputs"/> for an omitted optional input.</summary>
        public const int OmittedInput = -1;
        public const int DefaultDebugMetadataIndex = -1;
    }

    public static class Buffer
    {
        public const int Data = 0;
        public const int Offset = 1;
        public const int Size = 2;
        /// <summary>Buffer.data is force_align 16 so constants can be mapped in place.</summary>
        public const int DataAlignment = 16;
        /// <summary>Offset/size name data outside the flatbuffer (files over 2 GB) only when offset is greater than 1.</summary>
        public const ulong MinExternalOffset = 2;
        /// <summary>Tensor.buffer 0 names the empty buffer by convention: no data, whether or not the buffers vector has an entry 0.</summary>
        public const uint EmptySentinel = 0;
    }

    public static class Metadata
    {
        public const int Name = 0;
        public const int Buffer = 1;
    }

    public static class TensorMap
    {
        public const int Name = 0;
        public const int TensorIndex = 1;
    }

    /// <summary>Slot 3 (deprecated_tag) is deprecated but still takes its id.</summary>
    public static class SignatureDef
    {
        public const int Inputs = 0;
        public const int Outputs = 1;
        public const int SignatureKey = 2;
        public const int SubgraphIndex = 4;
    }

    // ---- Option tables (field ids) ----

    public static class Conv2DOptions
    {
        public const int Padding = 0;
        public const int StrideW = 1;
        public const int StrideH = 2;
        public const int FusedActivationFunction = 3;
        public const int DilationWFactor = 4;
        public const int DilationHFactor = 5;
        public const int QuantizedBiasType = 6;
        public const int DefaultDilation = 1;
    }

    public static class Conv3DOptions
    {
        public const int Padding = 0;
        public const int StrideD = 1;
        public const int StrideW = 2;
        public const int StrideH = 3;
        public const int FusedActivationFunction = 4;
        public const int DilationDFactor = 5;
        public const int DilationWFactor = 6;
        public const int DilationHFactor = 7;
        public const int DefaultDilation = 1;
    }

    public static class Pool2DOptions
    {
        public const int Padding = 0;
        public const int StrideW = 1;
        public const int StrideH = 2;
        public const int FilterWidth = 3;
        public const int FilterHeight = 4;
        public const int FusedActivationFunction = 5;
    }

    public static class DepthwiseConv2DOptions
    {
        public const int Padding = 0;
        public const int StrideW = 1;
        public const int StrideH = 2;
        public const int DepthMultiplier = 3;
        public const int FusedActivationFunction = 4;
        public const int DilationWFactor = 5;
        public const int DilationHFactor = 6;
        public const int DefaultDilation = 1;
    }

    public static class SVDFOptions
    {
        public const int Rank = 0;
        public const int FusedActivationFunction = 1;
        public const int AsymmetricQuantizeInputs = 2;
    }

    public static class RNNOptions
    {
        public const int FusedActivationFunction = 0;
        public const int AsymmetricQuantizeInputs = 1;
    }

    public static class SequenceRNNOptions
    {
        public const int TimeMajor = 0;
        public const int FusedActivationFunction = 1;
        public const int AsymmetricQuantizeInputs = 2;
    }

    public static class BidirectionalSequenceRNNOptions
    {
        public const int TimeMajor = 0;
        public const int FusedActivationFunction = 1;
        public const int MergeOutputs = 2;
        public const int AsymmetricQuantizeInputs = 3;
    }

    public static class FullyConnectedOptions
    {
        public const int FusedActivationFunction = 0;
        public const int WeightsFormat = 1;
        public const int KeepNumDims = 2;
        public const int AsymmetricQuantizeInputs = 3;
        public const int QuantizedBiasType = 4;
    }

    public static class SoftmaxOptions
    {
        public const int Beta = 0;
    }

    public static class ConcatenationOptions
    {
        public const int Axis = 0;
        public const int FusedActivationFunction = 1;
    }

    public static class AddOptions
    {
        public const int FusedActivationFunction = 0;
        public const int PotScaleInt16 = 1;
        public const bool DefaultPotScaleInt16 = true;
    }

    public static class SubOptions
    {
        public const int FusedActivationFunction = 0;
        public const int PotScaleInt16 = 1;
        public const bool DefaultPotScaleInt16 = true;
    }

    public static class MulOptions
    {
        public const int FusedActivationFunction = 0;
    }

    public static class DivOptions
    {
        public const int FusedActivationFunction = 0;
    }

    public static class L2NormOptions
    {
        public const int FusedActivationFunction = 0;
    }

    public static class LocalResponseNormalizationOptions
    {
        public const int Radius = 0;
        public const int Bias = 1;
        public const int Alpha = 2;
        public const int Beta = 3;
    }

    public static class LSTMOptions
    {
        public const int FusedActivationFunction = 0;
        public const int CellClip = 1;
        public const int ProjClip = 2;
        public const int KernelType = 3;
        public const int AsymmetricQuantizeInputs = 4;
    }

    public static class UnidirectionalSequenceLSTMOptions
    {
        public const int FusedActivationFunction = 0;
        public const int CellClip = 1;
        public const int ProjClip = 2;
        public const int TimeMajor = 3;
        public const int AsymmetricQuantizeInputs = 4;
        public const int DiagonalRecurrentTensors = 5;
    }

    public static class BidirectionalSequenceLSTMOptions
    {
        public const int FusedActivationFunction = 0;
        public const int CellClip = 1;
        public const int ProjClip = 2;
        public const int MergeOutputs = 3;
        public const int TimeMajor = 4;
        public const int AsymmetricQuantizeInputs = 5;
        public const bool DefaultTimeMajor = true;
    }

    /// <summary>Slots 0 and 1 (new_height, new_width) are deprecated but still take their ids.</summary>
    public static class ResizeBilinearOptions
    {
        public const int AlignCorners = 2;
        public const int HalfPixelCenters = 3;
    }

    public static class ResizeNearestNeighborOptions
    {
        public const int AlignCorners = 0;
        public const int HalfPixelCenters = 1;
    }

    public static class CallOptions
    {
        public const int Subgraph = 0;
    }

    public static class ReshapeOptions
    {
        public const int NewShape = 0;
    }

    public static class SpaceToDepthOptions
    {
        public const int BlockSize = 0;
    }

    public static class DepthToSpaceOptions
    {
        public const int BlockSize = 0;
    }

    public static class GatherOptions
    {
        public const int Axis = 0;
        public const int BatchDims = 1;
    }

    public static class ReducerOptions
    {
        public const int KeepDims = 0;
    }

    public static class SqueezeOptions
    {
        public const int SqueezeDims = 0;
    }

    public static class SplitOptions
    {
        public const int NumSplits = 0;
    }

    public static class SplitVOptions
    {
        public const int NumSplits = 0;
    }

    public static class StridedSliceOptions
    {
        public const int BeginMask = 0;
        public const int EndMask = 1;
        public const int EllipsisMask = 2;
        public const int NewAxisMask = 3;
        public const int ShrinkAxisMask = 4;
        public const int Offset = 5;
    }

    public static class CastOptions
    {
        public const int InDataType = 0;
        public const int OutDataType = 1;
    }

    public static class ArgMaxOptions
    {
        public const int OutputType = 0;
    }

    public static class ArgMinOptions
    {
        public const int OutputType = 0;
    }

    public static class TransposeConvOptions
    {
        public const int Padding = 0;
        public const int StrideW = 1;
        public const int StrideH = 2;
        public const int FusedActivationFunction = 3;
        public const int QuantizedBiasType = 4;
    }

    public static class ShapeOptions
    {
        public const int OutType = 0;
    }

    public static class FakeQuantOptions
    {
        public const int Min = 0;
        public const int Max = 1;
        public const int NumBits = 2;
        public const int NarrowRange = 3;
    }

    public static class PackOptions
    {
        public const int ValuesCount = 0;
        public const int Axis = 1;
    }

    public static class UnpackOptions
    {
        public const int Num = 0;
        public const int Axis = 1;
    }

    public static class OneHotOptions
    {
        public const int Axis = 0;
    }

    public static class LeakyReluOptions
    {
        public const int Alpha = 0;
    }

    public static class MirrorPadOptions
    {
        public const int Mode = 0;
    }

    public static class UniqueOptions
    {
        public const int IdxOutType = 0;
    }

    public static class ReverseSequenceOptions
    {
        public const int SeqDim = 0;
        public const int BatchDim = 1;
    }

    public static class IfOptions
    {
        public const int ThenSubgraphIndex = 0;
        public const int ElseSubgraphIndex = 1;
    }

    public static class WhileOptions
    {
        public const int CondSubgraphIndex = 0;
        public const int BodySubgraphIndex = 1;
    }

    public static class CallOnceOptions
    {
        public const int InitSubgraphIndex = 0;
    }

    public static class BatchMatMulOptions
    {
        public const int AdjX = 0;
        public const int AdjY = 1;
        public const int AsymmetricQuantizeInputs = 2;
    }

    public static class CumsumOptions
    {
        public const int Exclusive = 0;
        public const int Reverse = 1;
    }

    public static class GeluOptions
    {
        public const int Approximate = 0;
    }

    public static class HashtableOptions
    {
        public const int TableId = 0;
        public const int KeyDtype = 1;
        public const int ValueDtype = 2;
    }

    public static class VarHandleOptions
    {
        public const int Container = 0;
        public const int SharedName = 1;
    }

    public static class RandomOptions
    {
        public const int Seed = 0;
        public const int Seed2 = 1;
    }

    public static class BucketizeOptions
    {
        public const int Boundaries = 0;
    }

    public static class StablehloWhileOptions
    {
        public const int CondSubgraphIndex = 0;
        public const int BodySubgraphIndex = 1;
    }

    public static class StablehloCaseOptions
    {
        public const int BranchSubgraphIndices = 0;
    }

    public static class StablehloReduceOptions
    {
        public const int Dimensions = 0;
        public const int BodySubgraphIndex = 1;
    }

    public static class StablehloSortOptions
    {
        public const int Dimension = 0;
        public const int IsStable = 1;
        public const int ComparatorSubgraphIndex = 2;
    }

    public static class StableHLOCompositeOptions
    {
        public const int Name = 0;
        public const int DecompositionSubgraphIndex = 1;
        public const int CompositeAttributes = 2;
        public const int CompositeAttributesFormat = 3;
        public const int Version = 4;
    }
}
