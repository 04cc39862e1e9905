using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using static NpuAdvisor.Targets.Artpec9Limits;

namespace NpuAdvisor.Targets;

/// <summary>
/// ARTPEC-9: an Arm Ethos-N DLPU. Rules follow the seed's ARTPEC-9 table, which matches the Ethos-N
/// support library; the messages use the library's reason texts. Where the document and the code
/// disagree the code is followed (the rule's help says so). Ops off the DLPU that Arm NN's CpuAcc
/// backend runs are placed on the accelerated CPU.
/// </summary>
public sealed class Artpec9Target : Target
{
    public override string Id => "artpec9";
    public override string Name => "ARTPEC-9";
    public override string Description => "Axis ARTPEC-9 DLPU (Arm Ethos-N rules), with Arm NN CpuAcc as the accelerated CPU";

    private const string Seed = "seed ARTPEC-9 table";
    private const string Eth = "rules-anchors.md §2.2";
    private const string OtherwiseCpu = "Operations that do not meet it are offloaded to the CPU.";
    /// <summary>The newest stored Ethos-N release; Axis does not say which release ARTPEC-9 ships.</summary>
    private const string EthosN = "github ARM-software/ethos-n-driver-stack@6834c82 (25.03)";

    private static readonly CommonRules Common = new("A9", "ARTPEC-9");

    // ---- Generic tensor rules (seed tips; §2.1, §2.3) -----------------------------------------

    internal static readonly Rule TensorRank = new("A9-RANK", RuleKind.Unsupported,
        $"Tensors with up to {MaxRank} dimensions are supported",
        $"The Ethos-N backend only supports tensors of up to {MaxRank} dimensions (\"The ethosn can only support up to 4D tensors\"). {OtherwiseCpu}",
        $"Keep tensors at {MaxRank} dimensions or fewer.",
        "seed ARTPEC-9 tips; rules-anchors.md §2.1", FixKind.MoveToNpu);

    internal static readonly Rule BatchSize = new("A9-BATCH", RuleKind.Unsupported,
        $"A batch dimension other than {Batch} is not supported",
        $"4-D tensors must have batch {Batch} (\"Batch size must be 1\"). FULLY_CONNECTED too: Arm NN hands the support library its input as batch × 1 × 1 × input size, the batch being the input's elements over the weights' input size, and a batch other than {Batch} is refused. {OtherwiseCpu}",
        "Run one image per inference.",
        $"seed ARTPEC-9 tips; rules-anchors.md §2.3; {EthosN} driver/support_library/src/SupportQueries.cpp IsFullyConnectedSupported, armnn-ethos-n-backend/EthosNLayerSupport.cpp IsFullyConnectedSupportedImpl", FixKind.MoveToNpu);

    internal static readonly Rule DataType = new("A9-DATA-TYPE", RuleKind.Unsupported,
        "Tensors must be 8-bit quantized (UINT8_QUANTIZED or INT8_QUANTIZED)",
        $"Every input and output of a DLPU op must be a quantized 8-bit tensor (\"%s must be UINT8_QUANTIZED or INT8_QUANTIZED\"); weights too, bias int32. Float and other integer ops go to the CPU.",
        "Quantize the model fully to int8.", "rules-anchors.md §2.3; hardware-notes (ARTPEC-9 INT8)", FixKind.Quantize);

    internal static readonly Rule QuantAxis = new("A9-QUANT-AXIS", RuleKind.Unsupported,
        "Per-channel quantization only on weights, along the output-channel axis",
        "Per-channel (per-axis) scales are accepted on weights and bias only (\"Quantization Dim should not be used on Input/Output\"), along the output channels (Ethos-N: axis 3 of HWIO, axis 2 of HWIM, i.e. TFLite axis 0 of CONV_2D/TRANSPOSE_CONV weights and axis 3 of DEPTHWISE_CONV_2D weights). FULLY_CONNECTED takes one weight scale only (\"Multiple quantization scales is not supported for FullyConnected operation\").",
        "Quantize activations per tensor and weights per output channel (FULLY_CONNECTED per tensor).",
        "rules-anchors.md §2.3", FixKind.MoveToNpu);

    internal static readonly Rule TensorDepth = new("A9-TENSOR-DEPTH", RuleKind.Unsupported,
        "Tensors too deep for the DLPU SRAM are not supported",
        $"Most operations fail when a tensor is too deep: an {DepthChunk / 8}×{DepthChunk / 8}×C chunk must fit the SRAM (skipped when the width is 1). ARTPEC-9's SRAM size is not published; the check uses the {SramBytes} bytes of the support library's tests (C ≤ {SramBytes / DepthChunk}), so smaller configurations may reject shallower tensors.",
        "Reduce the channel count.", "seed ARTPEC-9 tips; rules-anchors.md §2.3 (IsTensorDepthSupported)", FixKind.MoveToNpu);

    internal static readonly Rule OpNotSupported = new("A9-OP-NOT-SUPPORTED", RuleKind.Unsupported,
        "Operators outside the ARTPEC-9 table run on the CPU",
        $"The DLPU runs these TFLite builtins: {Join(Table)} (SQUEEZE and EXPAND_DIMS are Arm NN reshapes, QUANTIZE is Requantize, PADV2 is Pad). Other ops run on the CPU; those Arm NN's CpuAcc backend supports ({Join(CpuAccelerated)}) are placed on the accelerated CPU. TRANSPOSE and SPACE_TO_DEPTH stay off the DLPU: the seed does not list them (Ethos-N 25.03 added transposes; SPACE_TO_DEPTH is estimate-only).",
        "Replace the op by ones in the table.", $"{Seed}; rules-anchors.md §2.5, §2.6; Axis 'Accelerated CPU' page", FixKind.MoveToNpu);

    // ---- Operator table, in the seed's order ---------------------------------------------------

    internal static readonly Rule Add = new("A9-ADD", RuleKind.Unsupported,
        "ADD: element by element, or of a constant 1×1×1×C tensor or scalar",
        $"Addition of two equal shapes runs natively. Arm NN replaces the addition of a constant it cannot run natively: a 4-D 1×1×1×C 8-bit constant (C = the input's channels) becomes a depthwise convolution, possible when output scale / input scale ≥ 1/{AddDepthwiseMaxWeight} (\"Couldn't find valid weight scale\"); a scalar constant becomes a ReinterpretQuantization, possible when output and input scales agree within {ScalarAddScaleTolerance:G} (\"Input and output quantization scales are not equal\") and the zero point the added value implies is within {ScalarAddZeroPointTolerance:G} of the output's (\"Quantization info for input, scalar and output are not coherent\"). Any other broadcast: \"Cannot stretch along the requested dimensions.\" (the seed's element-by-element rule; newer Ethos-N releases stretch some dimensions). {OtherwiseCpu}",
        "Broadcast explicitly, or fold a constant addend into the previous layer's bias.",
        $"{Seed} Add; rules-anchors.md §2.3; {EthosN} armnn-ethos-n-backend/EthosNLayerSupport.cpp GetAdditionSupportedMode, EthosNReplaceUnsupported.cpp CalcConstantAddToDepthwiseReplacementConfig and ReplaceConstantAdditionWithReinterpretQuantization", FixKind.MoveToNpu);

    internal static readonly Rule AvgPool = new("A9-AVGPOOL", RuleKind.Unsupported,
        $"AVERAGE_POOL_2D: {AvgPoolKernel}×{AvgPoolKernel} stride 1 SAME, or a mean over the whole {Set(MeanSizes)} input",
        $"Average pooling is supported as {AvgPoolKernel}×{AvgPoolKernel}, stride 1,1, SAME padding, or as a \"mean\": a square pool of size {Set(MeanSizes)} equal to the input width and height, no padding (\"Unsupported configuration in AVG pooling\"). Non-square pool kernels are rejected on the Arm NN path (§2.6). {OtherwiseCpu}",
        "Use MEAN over a 7×7/8×8 map, or 3×3 stride 1 SAME.", $"{Seed} AveragePool; {Eth}, §2.6", FixKind.MoveToNpu);

    internal static readonly Rule ConcatScale = new("A9-CONCAT-SCALE", RuleKind.Unsupported,
        $"CONCATENATION: output scale must exceed each input scale / {RequantizeRatio}",
        $"An output quantization scale smaller than an input scale divided by {RequantizeRatio} is not supported (\"Output scales must be bigger than input scale / 128\"). {OtherwiseCpu}",
        "Calibrate so the concatenation's output range is not far narrower than its inputs'.", $"{Seed} Concat; {Eth}", FixKind.MoveToNpu);

    internal static readonly Rule ConcatAxis = new("A9-CONCAT-AXIS", RuleKind.Unsupported,
        "CONCATENATION: not along the batch axis",
        $"\"Concatenation cannot be performed along batch axis (axis 0)\". {OtherwiseCpu}",
        "Concatenate along height, width or channels.", Eth, FixKind.MoveToNpu);

    internal static readonly Rule ConcatChannels = new("A9-CONCAT-CHANNELS", RuleKind.Unsupported,
        $"CONCATENATION along channels: every input a multiple of {ChannelMultiple} channels",
        $"Concatenating along the channel dimension needs every input's channel count to be a multiple of {ChannelMultiple} (\"Concatenation along the channels dimension (axis 3) requires input tensors with a multiple of 16 channels\"). Follows the Axis table; Arm NN with Ethos-N 25.03 no longer enforces it (§2.6). {OtherwiseCpu}",
        $"Give every concatenated branch a multiple of {ChannelMultiple} channels.", $"{Seed} Concat; {Eth}, §2.6", FixKind.AlignChannels);

    internal static readonly Rule ConvKernel = new("A9-CONV-KERNEL", RuleKind.Unsupported,
        $"Convolution kernel heights and widths must be in {Set(KernelSizes)}",
        $"CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV support kernel heights and widths in {Set(KernelSizes)} (\"Unsupported kernel size. Width(%u)/height(%u) must be in {{ 1, 2, 3, 5, 7, 9 }}\"). {OtherwiseCpu}",
        "Use kernel sizes from the supported set (e.g. 4×4 → 3×3 or 5×5).", $"{Seed} Conv2D/DepthwiseConvolution2D/TransposeConvolution2D; {Eth}", FixKind.UseSmallKernel);

    internal static readonly Rule ConvStride = new("A9-CONV-STRIDE", RuleKind.Unsupported,
        $"Convolution strides must match in height and width and be in {Set(ConvStrides)}",
        $"CONV_2D and DEPTHWISE_CONV_2D strides must be equal in x and y and in {Set(ConvStrides)} (\"Unsupported stride. Stride X and Y must be equal and in {{ 1, 2 }}\"). {OtherwiseCpu}",
        "Use stride 1 or 2 and shrink further with pooling.", $"{Seed} Conv2D/DepthwiseConvolution2D; {Eth}", FixKind.StrideViaPooling);

    internal static readonly Rule ConvLargeKernel = new("A9-CONV-LARGE-KERNEL-STRIDE", RuleKind.Unsupported,
        $"CONV_2D kernels larger than {LargeKernel} need stride 1",
        $"For CONV_2D kernels with height or width > {LargeKernel} only stride 1 is supported (\"Unsupported stride for kernel width/height > 7. Stride X and Y must be 1\"). The seed states the same for depthwise convolutions, but the support library has no such check there; the code is followed. {OtherwiseCpu}",
        "Use stride 1 with the large kernel and shrink with pooling, or a 7×7 kernel.", $"{Seed} Conv2D; {Eth}, §2.4", FixKind.StrideViaPooling);

    internal static readonly Rule ConvPadding = new("A9-CONV-PADDING", RuleKind.Unsupported,
        $"Convolutions: SAME or VALID padding (explicit padding up to {MaxPadding})",
        $"SAME and VALID padding are supported; explicit padding larger than {MaxPadding} on a side is only accepted when it equals SAME (\"Unsupported padding.\"). {OtherwiseCpu}",
        "Use SAME or VALID padding.", $"{Seed} Conv2D; {Eth} (IsPaddingSupported)", FixKind.FoldPadding);

    internal static readonly Rule Dilation = new("A9-DILATION", RuleKind.Unsupported,
        "CONV_2D and DEPTHWISE_CONV_2D: no dilation",
        $"Arm NN refuses a dilated convolution before asking the support library (\"Dilation not supported\": dilation must be 1 in x and y). {OtherwiseCpu}",
        "Use undilated convolutions (a larger kernel, or a strided/pooled path).",
        $"{EthosN} armnn-ethos-n-backend/EthosNTensorUtils.cpp IsSupportedDilation / BuildEthosNConvolutionInfo", FixKind.MoveToNpu);

    internal static readonly Rule OverallScale = new("A9-OVERALL-SCALE", RuleKind.Unsupported,
        $"I*W/O must be between 0 and {MaxOverallScale}",
        $"For CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and FULLY_CONNECTED the input scale × weight scale / output scale (per channel) must lie in [0, {MaxOverallScale}) (\"Overall scale (of the input * weights / output) should be in the range (2^-32, 65536)\"). {OtherwiseCpu}",
        "Recalibrate the output range of the layer.", $"{Seed}; {Eth} (IsQuantizationScaleSupported)", FixKind.MoveToNpu);

    internal static readonly Rule Bias = new("A9-BIAS", RuleKind.Unsupported,
        "Convolution and fully connected bias: int32, zero point 0, scale = input scale × weight scale",
        $"For CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and FULLY_CONNECTED the bias must be INT32_QUANTIZED, carry one scale per weight scale (\"The amount of biases scales … is different from weightScales*inputScales\"), each within {BiasScaleTolerance:P0} of input scale × weight scale of its channel (Arm NN: \"Bias quantization scales are mismatched by more than 1%\"; it then uses the exact product, so the support library's exact comparison passes), and have zero point 0 (\"Bias for conv must have quantization parameters with zero point of 0\", EstimateOnly: CPU outside performance-only mode). A missing bias is fine (Arm NN makes a zero one); a bias without quantization parameters is not judged (a format such as ONNX QLinearConv implies input × weight). {OtherwiseCpu}",
        "Let the converter quantize the bias (int32, scale = input scale × weight scale, zero point 0).",
        $"{EthosN} armnn-ethos-n-backend/EthosNTensorUtils.cpp BuildEthosNBiasesInfo; driver/support_library/src/SupportQueries.cpp IsConvolutionSupported, IsDepthwiseConvolutionSupported, IsTransposeConvolutionSupported, IsFullyConnectedSupported (IsBiasDataTypeSupported); rules-anchors.md §2.3", FixKind.MoveToNpu);

    internal static readonly Rule DepthToSpace = new("A9-DEPTH-TO-SPACE", RuleKind.Unsupported,
        $"DEPTH_TO_SPACE: block size {DepthToSpaceBlock}, depth a multiple of {DepthToSpaceBlock * DepthToSpaceBlock}",
        $"Only block size {DepthToSpaceBlock} is supported (\"Only block size of 2 is supported\") and the input depth must be a multiple of the block size squared (\"Number of channels of input must be an exact multiple of the square of the block size\"). {OtherwiseCpu}",
        "Use block size 2.", $"{Seed} DepthToSpace; {Eth}", FixKind.MoveToNpu);

    internal static readonly Rule DepthwiseKernelSquare = new("A9-DW-SQUARE-KERNEL", RuleKind.Unsupported,
        "DEPTHWISE_CONV_2D kernels must be square",
        $"The seed says depthwise kernels need not be square, but the support library rejects kernelHeight ≠ kernelWidth; the code is followed. {OtherwiseCpu}",
        "Use a square depthwise kernel.", $"{Seed} DepthwiseConvolution2D; rules-anchors.md §2.4", FixKind.SquareKernel);

    internal static readonly Rule DepthwiseMultiplier = new("A9-DW-MULTIPLIER", RuleKind.Unsupported,
        "DEPTHWISE_CONV_2D: channel multiplier 1 (or >1 only with a single input channel)",
        $"The seed supports channel multiplier 1 only; the support library also accepts a multiplier > 1 when the input has one channel (\"If channel multiplier > 1 the weights input channels dimension must be 1\"); the code is followed. {OtherwiseCpu}",
        "Use a regular convolution instead of a channel multiplier.", $"{Seed} DepthwiseConvolution2D; rules-anchors.md §2.4", FixKind.RegularConvolution);

    internal static readonly Rule DepthwiseStride1x1 = new("A9-DW-1X1-STRIDE", RuleKind.Unsupported,
        "DEPTHWISE_CONV_2D: a 1×1 kernel needs stride 1",
        $"The support library rejects depthwise 1×1 kernels with stride > 1 (\"Unsupported stride >1 with kernel size 1x1.\"), a check the seed does not list; the code is followed. {OtherwiseCpu}",
        "Subsample with pooling instead.", "rules-anchors.md §2.4", FixKind.StrideViaPooling);

    internal static readonly Rule LeakyRelu = new("A9-LEAKY-RELU-ALPHA", RuleKind.Unsupported,
        "LEAKY_RELU: 0 < alpha < 1",
        $"Alpha must be less than 1 and greater than 0 (\"Leaky relu alpha must be less than 1 and greater than 0\"). {OtherwiseCpu}",
        "Use an alpha in (0, 1), or ReLU6.", $"{Seed} LeakyReLU; rules-anchors.md §2.3", FixKind.MoveToNpu);

    internal static readonly Rule MaxPool = new("A9-MAXPOOL", RuleKind.Unsupported,
        "MAX_POOL_2D: only the supported pool/stride/padding configurations",
        $"Stride 2,2: 1×1 unpadded; 2×2 unpadded (even input) or padded (0,1,0,1) (odd input); 3×3 unpadded (odd input) or padded (0,1,0,1) (even input), width ≤ {MaxPool3x3MaxWidth}. Stride 1,1: VALID up to {MaxPoolStride1Valid}×{MaxPoolStride1Valid}, SAME up to {MaxPoolStride1Same}×{MaxPoolStride1Same}. The input must not be smaller than the pool; the pool must be square (§2.6). The 3×3 parity follows the code, which is the reverse of the seed (\"Max pooling 3x3_2_2 with no padding: input sizes must be odd\"; the padded form is exactly what TFLite SAME gives on even inputs). {OtherwiseCpu}",
        "Use 2×2 or 3×3 stride 2 pooling on inputs of the matching parity, or stride 1.", $"{Seed} MaxPool; {Eth}, §2.4, §2.6", FixKind.MoveToNpu);

    internal static readonly Rule MeanXy = new("A9-MEAN", RuleKind.Unsupported,
        $"MEAN: only over height and width of a {Set(MeanSizes)} square input, with keep_dims",
        $"Mean is supported as a reduction of H×W to 1×1 that keeps the dimensions (Arm NN: \"The dimensions need to be preserved\", \"Mean is supported for XY dimensions only\") for 7×7 and 8×8 inputs only (\"MeanXy is supported for 7x7 and 8x8 as HeightxWidth only\"). {OtherwiseCpu}",
        "Pool down to 7×7 or 8×8 and take the mean with keep_dims (reshape afterwards).",
        $"{Seed} MeanXY; {Eth}; {EthosN} armnn-ethos-n-backend/EthosNLayerSupport.cpp IsMeanSupportedImpl", FixKind.MoveToNpu);

    internal static readonly Rule Mul = new("A9-MUL", RuleKind.Unsupported,
        "MUL: by a 1×1×1×C constant, or by a scalar constant that leaves the quantized values unchanged",
        $"Multiplication is supported with a constant of shape 1×1×1×C (becomes a depthwise convolution) or a scalar constant (becomes a ReinterpretQuantization) when input scale × scalar value is within {ScalarMulScaleTolerance:G} of the output scale (\"Quantization info for input, scalar and output are not coherent\"). The seed is followed: tensor × tensor (e.g. SiLU's x·sigmoid(x)) runs on the CPU, although Ethos-N 25.03 has native multiplication. {OtherwiseCpu}",
        "Use ReLU6 instead of SiLU/Swish; fold constant scales into the previous layer.",
        $"{Seed} Mul; {Eth}; {EthosN} armnn-ethos-n-backend/EthosNReplaceUnsupported.cpp ReplaceScalarMultiplicationWithReinterpretQuantization", FixKind.MoveToNpu);

    internal static readonly Rule Pad = new("A9-PAD", RuleKind.Unsupported,
        $"PAD: zero padding of H and W only, up to {MaxPadding} per side, same quantization",
        $"Only zero padding in the H and W dimensions, up to {MaxPadding} on each side (sides may differ), with identical input and output quantization (\"Padding not supported\"). {OtherwiseCpu}",
        $"Pad at most {MaxPadding} per side, spatially, with zeros.", $"{Seed} Pad; {Eth}", FixKind.FoldPadding);

    internal static readonly Rule ReluBounds = new("A9-RELU-BOUNDS", RuleKind.Unsupported,
        "RELU: lower bound must be below the upper bound",
        $"The quantized clamp of RELU, RELU6 and RELU_N1_TO_1 must have its lower bound not above its upper bound (\"Relu has lower bound > upper bound\"). {OtherwiseCpu}",
        "Fix the output quantization of the activation.", $"{Seed} ReLU; rules-anchors.md §2.3", FixKind.MoveToNpu);

    internal static readonly Rule SameQuantization = new("A9-SAME-QUANTIZATION", RuleKind.Unsupported,
        "RELU, RELU6 and MEAN must keep their input's quantization",
        $"On the Arm NN path RELU, RELU6 and MEAN are accepted only when output scale and zero point equal the input's. {OtherwiseCpu}",
        "Fuse the activation into the producing op, or requantize explicitly.", "rules-anchors.md §2.6", FixKind.FuseActivation);

    internal static readonly Rule Requantize = new("A9-REQUANTIZE", RuleKind.Unsupported,
        $"QUANTIZE (requantize): output scale must exceed input scale / {RequantizeRatio}",
        $"An output quantization scale smaller than the input scale divided by {RequantizeRatio} is not supported (\"Output scale must be bigger than input scale / 128\"); a different input/output type is fine. {OtherwiseCpu}",
        "Keep requantization ranges within a factor 128.", $"{Seed} Requantize; {Eth}", FixKind.MoveToNpu);

    internal static readonly Rule ResizeSize = new("A9-RESIZE-SIZE", RuleKind.Unsupported,
        "RESIZE: output height and width must be 2n or 2n−1",
        $"The resized height or width must be 2n or 2n−1 where n is the original one (\"Requested height isn't supported\" / \"Requested width isn't supported\"). {OtherwiseCpu}",
        "Upsample by exactly 2 (repeat for 4, 8…).", $"{Seed} Resize; {Eth}", FixKind.MoveToNpu);

    internal static readonly Rule ResizeAccuracy = new("A9-RESIZE-ACCURACY", RuleKind.Accuracy,
        "RESIZE: mixed parity or some bilinear settings give inaccurate results",
        "If the resized height and width are not both odd or both even (\"Requested width and height have different parity, result might be inaccurate\"), or a bilinear resize uses align_corners or half_pixel_centers on such sizes, the DLPU result may be inaccurate. The support library still runs it (§2.6), so this is an accuracy warning, not a CPU fallback.",
        "Resize to both-even (2n×2n) sizes.", $"{Seed} Resize; {Eth}, §2.6");

    internal static readonly Rule Sigmoid = new("A9-SIGMOID-QUANT", RuleKind.Unsupported,
        $"LOGISTIC: output scale 1/256, zero point the type's minimum",
        $"Sigmoid's output always has scale {SigmoidScale} (1/256) and zero point −128 (int8) or 0 (uint8); another output quantization gets \"Provided outputInfo is incorrect\". {OtherwiseCpu}",
        "Let the converter choose LOGISTIC's output quantization (1/256, −128).", $"{Seed} Sigmoid; {Eth}", FixKind.MoveToNpu);

    internal static readonly Rule Tanh = new("A9-TANH-QUANT", RuleKind.Unsupported,
        $"TANH: output scale 1/128, zero point the type's middle value",
        $"Tanh's output always has scale {TanhScale} (1/128) and zero point 0 (int8) or 128 (uint8); another output quantization gets \"Provided outputInfo is incorrect\". {OtherwiseCpu}",
        "Let the converter choose TANH's output quantization (1/128, 0).", $"{Seed} Tanh; {Eth}", FixKind.MoveToNpu);

    internal static readonly Rule SplitChannels = new("A9-SPLIT-CHANNELS", RuleKind.Unsupported,
        $"SPLIT along channels: every output a multiple of {ChannelMultiple} channels",
        $"Splitting along the channel dimension needs every output's channel count to be a multiple of {ChannelMultiple}. Follows the Axis table; Arm NN with Ethos-N 25.03 no longer enforces it (§2.6). {OtherwiseCpu}",
        $"Split into multiples of {ChannelMultiple} channels.", $"{Seed} Split; {Eth}, §2.6", FixKind.AlignChannels);

    internal static readonly Rule TransposeConvStride = new("A9-TCONV-STRIDE", RuleKind.Unsupported,
        $"TRANSPOSE_CONV: stride {TransposeConvStride} only",
        $"Only a stride of {TransposeConvStride} in both directions is supported (\"Unsupported stride. Stride X and Y must be equal to 2\"). {OtherwiseCpu}",
        "Upsample by 2 per transpose convolution.", $"{Seed} TransposeConvolution2D; {Eth}", FixKind.MoveToNpu);

    internal static readonly Rule TransposeConvPadding = new("A9-TCONV-PADDING", RuleKind.Unsupported,
        $"TRANSPOSE_CONV: SAME padding for kernels larger than {LargeKernel}×{LargeKernel}",
        $"\"Padding must be SAME for kernel > 7x7.\" {OtherwiseCpu}",
        "Use SAME padding, or a kernel of 7 or less.", Eth, FixKind.MoveToNpu);

    // ---- Tips (performance) --------------------------------------------------------------------

    internal static readonly Rule PreferRelu6 = new("A9-PREFER-RELU6", RuleKind.Performance,
        "Use ReLU6 as the activation function when possible",
        "Axis recommends ReLU6 on ARTPEC-9. Flags unbounded ReLU and other activations (RELU_N1_TO_1, LEAKY_RELU, PRELU, HARD_SWISH, ELU, GELU) on layers and as standalone ops.",
        "Use ReLU6 (fused into the convolution).", "seed ARTPEC-9 tips");

    internal static readonly Rule ExplicitPadding = new("A9-EXPLICIT-PADDING", RuleKind.Performance,
        "Avoid explicit padding when possible",
        "Axis: avoid explicit padding on ARTPEC-9. A PAD op costs a pass over the feature map; SAME padding inside the convolution is free.",
        "Fold the PAD into the next convolution's SAME padding.", "seed ARTPEC-9 tips", FixKind.FoldPadding);

    internal static readonly Rule Filters16 = new("A9-FILTERS-16", RuleKind.Performance,
        $"Filter counts evenly divisible by {ChannelMultiple} are most efficient",
        $"Axis: it is most optimal to use filters evenly divisible by {ChannelMultiple}. Flags CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV layers whose output channels are not a multiple of {ChannelMultiple}, with the nearest aligned counts.",
        $"Round the filter count to a multiple of {ChannelMultiple}.", "seed ARTPEC-9 tips", FixKind.AlignChannels);

    // ---- Model level ---------------------------------------------------------------------------

    internal static readonly Rule FloatModel = new("A9-FLOAT-MODEL", RuleKind.Model,
        "The model is not fully 8-bit quantized",
        "ARTPEC-9's DLPU takes INT8 models only; every op on float tensors runs on the CPU (the accelerated CPU where Arm NN CpuAcc has the op), so a float model gets no DLPU acceleration.",
        "Convert with full-integer post-training quantization (or quantization-aware training).",
        "hardware-notes (Axis DLPU overview: ARTPEC-9 INT8); rules-anchors.md §2.3", FixKind.QuantizeModel);

    public override IReadOnlyList<Rule> Rules { get; } =
    [
        .. Common.All, TensorRank, BatchSize, DataType, QuantAxis, TensorDepth, OpNotSupported,
        Add, AvgPool, ConcatScale, ConcatAxis, ConcatChannels, ConvKernel, ConvStride, ConvLargeKernel, ConvPadding, Dilation, OverallScale,
        Bias, DepthToSpace, DepthwiseKernelSquare, DepthwiseMultiplier, DepthwiseStride1x1, LeakyRelu, MaxPool, MeanXy, Mul, Pad,
        ReluBounds, SameQuantization, Requantize, ResizeSize, ResizeAccuracy, Sigmoid, Tanh, SplitChannels,
        TransposeConvStride, TransposeConvPadding, PreferRelu6, ExplicitPadding, Filters16, FloatModel,
    ];

    protected override void CheckOperator(OpContext ctx)
    {
        if (Common.Check(ctx)) return;
        if (!Supported.Contains(ctx.Op.Kind))
            ctx.Report(OpNotSupported, $"{ctx.Op.TypeName} is not in the ARTPEC-9 DLPU operator table");
        else if (!Artpec9Generic.Check(ctx))
            Artpec9Ops.Check(ctx);
        Artpec9Tips.Check(ctx);
    }

    protected override void CheckModel(TargetResult result)
    {
        var floatOps = result.Ops.Count(r => r.Findings.Any(f => f.Rule == DataType)
                                             && ArtpecTensors.Activations(r.Op).Any(a => a.Tensor.Type.IsFloat()));
        if (floatOps > 0)
            result.ModelFindings.Add(new Finding
            {
                Rule = FloatModel, Fix = FloatModel.Fix,
                Message = $"{floatOps} of {result.Ops.Count} ops compute on float tensors and run on the CPU (scheme: {result.Graph.Scheme().Describe()})",
            });
    }

    /// <summary>CPU ops Arm NN's CpuAcc backend runs go to the accelerated CPU (not ops the common rules rejected).</summary>
    protected override void Partition(TargetResult result)
    {
        foreach (var r in result.Ops)
        {
            if (r.Placement != Placement.Cpu || !CpuAcceleratedSet.Contains(r.Op.Kind)) continue;
            if (r.Findings.Any(f => Common.All.Contains(f.Rule))) continue;
            if (Artpec9Generic.FusedActivation(r.Op) is { } a && !CpuAccActivation(a)) continue;
            r.Placement = Placement.CpuAccelerated;
        }
    }
}
