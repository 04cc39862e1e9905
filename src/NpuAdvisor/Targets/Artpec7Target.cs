using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using static NpuAdvisor.Targets.Artpec7Status;

namespace NpuAdvisor.Targets;

/// <summary>
/// ARTPEC-7: a Google Edge TPU. Rules follow edgetpu_compiler v16 (runtime 14, the pair Axis firmware
/// 10.8.1+ accepts): the model requirements, the operator table with its known limitations, and the
/// compiler's single Edge TPU subgraph. Messages start with the compiler's own per-op status string.
/// </summary>
public sealed class Artpec7Target : Target
{
    public override string Id => "artpec7";
    public override string Name => "ARTPEC-7";
    public override string Description => "Axis ARTPEC-7 DLPU (Google Edge TPU, edgetpu_compiler v16 / runtime 14)";

    private const string Src11 = "rules-anchors.md §1.1 (Coral model requirements)";
    private const string Src12 = "rules-anchors.md §1.2 (Edge TPU operator table)";
    private const string Unverified = "[UNVERIFIED] row of rules-anchors.md §1.2";

    private static readonly CommonRules Common = new("A7", "ARTPEC-7");

    // ---- Model requirements (§1.1) -------------------------------------------------------------

    internal static readonly Rule DataType = new("A7-DATA-TYPE", RuleKind.Unsupported,
        $"Tensors must be 8-bit quantized (int8/uint8): \"{UnsupportedDataType}\"",
        $"The Edge TPU only computes on 8-bit fixed-point tensors. An op reading or writing a float or wider integer activation, or a float constant, is reported by edgetpu_compiler as \"{UnsupportedDataType}\" and stays on the CPU (typical: a float QUANTIZE input, DEQUANTIZE, incomplete full-integer quantization). Int32 constants (bias, shapes, axes, paddings) are allowed, and so is the quantized int16 cell state (a variable tensor) of a full-integer UNIDIRECTIONAL_SEQUENCE_LSTM: the rule is for activations and weights.",
        "Quantize the model fully to int8 (representative dataset, int8 inference input/output types).",
        $"seed ARTPEC-7 (int8), {Src11}; §1.3 status table (CE#222, #490, #708); github google-coral/test_data keras_lstm_mnist_ptq_edgetpu.tflite (the int16-state LSTM inside edgetpu-custom-op)", FixKind.Quantize);

    internal static readonly Rule DynamicShape = new("A7-DYNAMIC-SHAPE", RuleKind.Unsupported,
        "Tensor sizes must be constant at compile time",
        "edgetpu_compiler delegates only static-sized tensors (\"Attempting to use a delegate that only supports static-sized tensors with a graph that has dynamic-sized tensors\"); a tensor whose shape has an unknown dimension cannot be mapped.",
        "Export with a fixed input size (batch 1, fixed height and width).",
        $"{Src11}; §1.6 (CE#829)", FixKind.MoveToNpu);

    internal static readonly Rule Rank = new("A7-RANK", RuleKind.Unsupported,
        $"Tensors may be larger than 1 only in their {MappedInnerDims} innermost dimensions: \"{UnsupportedRank}\"",
        $"Edge TPU tensors are 1-, 2- or 3-D; a tensor of more dimensions is mapped only when every dimension before the {MappedInnerDims} innermost ones is 1 (so batch must be 1). Otherwise the compiler reports \"{UnsupportedRank}\".",
        "Use batch 1 and keep outer dimensions at 1 (fold them into height or width).",
        $"{Src11}; §1.3 status table (CE#75, CE#708)", FixKind.MoveToNpu);

    internal static readonly Rule ConstantParameters = new("A7-CONSTANT-PARAMETERS", RuleKind.Unsupported,
        "Weights and bias must be constant at compile time",
        $"Model parameters (weights, bias) must be compile-time constants; a convolution or fully connected layer whose weights or bias are computed at run time is not mapped (\"{OtherwiseSupported}\").",
        "Freeze weights into constants before conversion.",
        Src11, FixKind.MoveToNpu);

    internal static readonly Rule OpNotSupported = new("A7-OP-NOT-SUPPORTED", RuleKind.Unsupported,
        $"Only the Edge TPU operator table maps: \"{NotSupported}\"",
        $"edgetpu_compiler v16 maps these TFLite builtins: {string.Join(", ", Artpec7OpTable.Rows.Select(OpKindNames.Of))}. Any other op runs on the CPU (\"{NotSupported}\"). Decision on the table's [UNVERIFIED] rows: {string.Join(", ", Artpec7OpTable.FromCurrentTableUnverified.Select(OpKindNames.Of))} are listed in the current Coral table for runtime 13/14, which compiler v16 targets, so they count as supported; SQUEEZE follows the newer runtimes (no leading-1s limit). {string.Join(", ", Artpec7OpTable.MappedInCompiledTwins.Select(OpKindNames.Of))} is not in the retrieved table rows but the compiler maps it (DeepLab's image-pooling TILE is inside edgetpu-custom-op in Coral's compiled twin).",
        "Replace the op by supported ones, or move it to the end of the graph.",
        $"{Src12}; CE#659; github google-coral/test_data deeplab_mobilenet_edgetpu_slim_cityscapes_quant_edgetpu.tflite (TILE mapped)", FixKind.MoveToNpu);

    // ---- Operator limits, in table order (§1.2) ------------------------------------------------

    internal static readonly Rule PoolActivation = new("A7-POOL-FUSED-ACTIVATION", RuleKind.Unsupported,
        "AVERAGE_POOL_2D and MAX_POOL_2D: no fused activation function",
        $"The Edge TPU pooling kernels take no fused activation; a pooling op with one is not mapped (\"{OtherwiseSupported}\").",
        "Put the activation before the pooling (ReLU commutes with max pooling) or as a separate op.",
        $"{Src12} AVERAGE_POOL_2D, MAX_POOL_2D", FixKind.MoveToNpu);

    internal static readonly Rule ConcatActivation = new("A7-CONCAT-FUSED-ACTIVATION", RuleKind.Unsupported,
        "CONCATENATION: no fused activation function",
        $"CONCATENATION with a fused activation is not mapped (\"{OtherwiseSupported}\").",
        "Apply the activation to the inputs before concatenating.",
        $"{Src12} CONCATENATION", FixKind.MoveToNpu);

    internal static readonly Rule ConcatConstant = new("A7-CONCAT-CONSTANT", RuleKind.Unsupported,
        $"CONCATENATION with a constant input: exactly {ConcatWithConstantInputs} inputs and the constant all zeros",
        $"If any input of CONCATENATION is a compile-time constant, the op must have exactly {ConcatWithConstantInputs} inputs and the constant must be all zeros (it is then a zero-padding op); otherwise it is not mapped (\"{OtherwiseSupported}\").",
        "Feed the constant as a model input, or express the op as PAD.",
        $"{Src12} CONCATENATION", FixKind.MoveToNpu);

    internal static readonly Rule ConvDilation = new("A7-CONV-DILATION", RuleKind.Unsupported,
        "CONV_2D and DEPTHWISE_CONV_2D: same dilation in x and y",
        $"Convolutions must use the same dilation factor in x and y; others are not mapped (\"{OtherwiseSupported}\"). (The ≤12 runtime limit of no depthwise dilation does not apply to runtime 14.)",
        "Use equal dilation factors.",
        $"{Src12} CONV_2D, DEPTHWISE_CONV_2D", FixKind.MoveToNpu);

    internal static readonly Rule FullyConnected = new("A7-FULLY-CONNECTED", RuleKind.Unsupported,
        "FULLY_CONNECTED: default weights format and a one-dimensional output",
        $"Only the default weights format is mapped (not SHUFFLED4x16INT8), and the output must be one-dimensional: at most one output dimension larger than 1 (a 1×N output is one-dimensional data). Otherwise: \"{OtherwiseSupported}\".",
        "Use batch 1 and the default weights format.",
        $"{Src12} FULLY_CONNECTED; §1.3 (CE#27)", FixKind.MoveToNpu);

    internal static readonly Rule Lstm = new("A7-LSTM-UNIDIRECTIONAL", RuleKind.Unsupported,
        "LSTM: unidirectional only",
        $"Only unidirectional LSTMs map; a bidirectional LSTM runs on the CPU (\"{OtherwiseSupported}\").",
        "Use a unidirectional LSTM (or two, one per direction).",
        $"{Src12} LSTM", FixKind.MoveToNpu);

    internal static readonly Rule Mean = new("A7-MEAN", RuleKind.Unsupported,
        $"MEAN: constant axes, no batch reduction, z-reduction needs depth a multiple of {MeanDepthMultiple}",
        $"MEAN must reduce constant axes, never the batch dimension (dimension 0 of a 4-D tensor); when it reduces z (channels) the channel count must be a multiple of {MeanDepthMultiple}. Otherwise: \"{OtherwiseSupported}\". Large MEANs may also fail for undocumented size limits (CE#461).",
        $"Reduce only height/width, or pad channels to a multiple of {MeanDepthMultiple}.",
        $"{Src12} MEAN", FixKind.MoveToNpu);

    internal static readonly Rule BatchAxis = new("A7-BATCH-AXIS", RuleKind.Unsupported,
        "PACK, PAD, REDUCE_MAX/MIN, SUM, SPLIT: not along the batch dimension",
        $"These ops must not pack, pad, reduce or split along the batch dimension (dimension 0 of a 4-D tensor), and their axes/paddings must be constant. Otherwise: \"{OtherwiseSupported}\". The SPLIT and SUM batch limits are [UNVERIFIED] rows; they are applied because a batch dimension above 1 also breaks the rank rule.",
        "Keep batch 1 and operate on height, width or channels.",
        $"{Src12} PACK, PAD, REDUCE_MAX, REDUCE_MIN; SPLIT/SUM {Unverified}", FixKind.MoveToNpu);

    internal static readonly Rule PRelu = new("A7-PRELU-ALPHA", RuleKind.Unsupported,
        "PRELU: alpha must be 1-D (only its innermost dimension larger than 1)",
        $"PRELU's alpha may be larger than 1 only in its innermost dimension (Keras PReLU on 4-D input: shared_axes=[1,2]). Otherwise: \"{OtherwiseSupported}\".",
        "Share alpha across height and width (shared_axes=[1,2]).",
        $"{Src12} PRELU", FixKind.MoveToNpu);

    internal static readonly Rule ResizeSize = new("A7-RESIZE-SIZE", RuleKind.Unsupported,
        $"RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR: an output much larger than the input may not be mapped",
        $"Coral: \"Depending on input/output size, this operation might not be mapped to the Edge TPU to avoid loss in precision.\" No exact limit is public (CE#31, CE#206, CE#187 ask; maintainers give none). Coral's compiled twins map 2× upsamples (MoveNet FPN 6→12, 12→24, 24→48) and a same-size resize, and leave DeepLab's 33×33→513×513 (15.5×) final upsample and its 1×1→33×33 image-pooling broadcast on the CPU. This tool takes the conservative side: an upsampling factor above {MaxMappedUpsample}× on height or width is placed on the CPU, worded \"may\". Otherwise: \"{OtherwiseSupported}\".",
        $"Upsample in steps of at most {MaxMappedUpsample}× (each one mapped), or leave the final upsample as the last op on the CPU.",
        $"{Src12} RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR; github google-coral/test_data movenet_single_pose_lightning_ptq_edgetpu.tflite, deeplab_mobilenet_edgetpu_slim_cityscapes_quant_edgetpu.tflite, deeplabv3_mnv2_pascal_quant_edgetpu.tflite; CE#31, CE#206", FixKind.MoveToNpu);

    internal static readonly Rule Softmax = new("A7-SOFTMAX", RuleKind.Unsupported,
        $"SOFTMAX: 1-D input with at most {SoftmaxMaxElements} elements",
        $"SOFTMAX maps only for one-dimensional input data (only the innermost dimension larger than 1) of at most {SoftmaxMaxElements} elements. Otherwise: \"{OtherwiseSupported}\".",
        "Reshape to 1×N before SOFTMAX, or leave it as the last op on the CPU.",
        $"{Src12} SOFTMAX (older Coral table)", FixKind.MoveToNpu);

    internal static readonly Rule StridedSlice = new("A7-STRIDED-SLICE", RuleKind.Unsupported,
        "STRIDED_SLICE: all strides 1, ellipsis and new-axis masks 0",
        $"STRIDED_SLICE maps only as a plain slice: constant strides all equal to 1, ellipsis_mask 0 and new_axis_mask 0. Otherwise: \"{OtherwiseSupported}\".",
        "Slice with stride 1 and subsample with a strided convolution or pooling.",
        $"{Src12} STRIDED_SLICE (older Coral table)", FixKind.MoveToNpu);

    // ---- Partitioning (§1.3) -------------------------------------------------------------------

    internal static readonly Rule SingleSubgraph = new("A7-SINGLE-SUBGRAPH", RuleKind.Unsupported,
        $"One Edge TPU subgraph: ops depending on a CPU op fed by the Edge TPU run on the CPU (\"{MoreThanOneSubgraph}\")",
        $"edgetpu_compiler builds exactly one Edge TPU subgraph. A supported op whose inputs depend (directly or through other ops) on a CPU op that itself consumes Edge TPU output would need a second subgraph, so it runs on the CPU and is reported \"{MoreThanOneSubgraph}\". What counts is the data dependency: CPU ops that only feed the subgraph's inputs, and CPU side branches nothing mapped depends on, leave the rest mapped.",
        "Replace the CPU op that breaks the graph, move it to the end, or cut the graph there (edgetpu_compiler -i); -a (multiple subgraphs) exists but may be slower.",
        "rules-anchors.md §1.3 (CE#461, CE#663), §1.7", FixKind.MoveToNpu);

    internal static readonly Rule PartitionBreaker = new("A7-PARTITION-BREAKER", RuleKind.Model,
        "A CPU op splits the model and pushes later supported ops to the CPU",
        "Reports each CPU op whose position forces supported ops after it onto the CPU (the single-subgraph rule), with how many ops it costs. Fixing that one op brings them all back to the Edge TPU.",
        "Replace that op with supported ones, or cut the graph before it (edgetpu_compiler -i).",
        "rules-anchors.md §1.7 (report the first CPU op as the partition breaker)", FixKind.MoveToNpu);

    // ---- Model level and the seed's tips -------------------------------------------------------

    internal static readonly Rule ParameterCache = new("A7-PARAMETER-CACHE", RuleKind.Performance,
        $"Parameters beyond the ~{CacheMiB} MiB usable Edge TPU cache are streamed every inference",
        $"The Edge TPU caches model parameters on chip (~8 MB; compiler logs show about {CacheMiB} MiB usable, the figure used here: {ParameterCacheBytes} bytes). Parameters of mapped ops that do not fit are \"Off-chip memory used for streaming uncached model parameters\" and are read from host memory on every inference. Axis: use lightweight models that fit the DLPU memory, such as SSD MobileNet v2 300×300.",
        "Use a lighter model (fewer or narrower layers) so its parameters fit the cache.",
        "seed ARTPEC-7 (lightweight models that fit the DLPU memory); rules-anchors.md §1.5", FixKind.FitParameterCache);

    internal static readonly Rule PerChannel = new("A7-PER-CHANNEL", RuleKind.Accuracy,
        "Per-channel quantization is recommended for accuracy",
        "On ARTPEC-7 per-channel and per-tensor quantization run at similar speed, but per-channel weights are recommended for better accuracy.",
        "Quantize weights per channel (the TF2 converter's default).",
        "seed ARTPEC-7; rules-anchors.md §1.1 (AXIS-OPT)");

    internal static readonly Rule FloatModel = new("A7-FLOAT-MODEL", RuleKind.Model,
        "The model is not fully 8-bit quantized",
        $"The Edge TPU runs only fully 8-bit quantized TensorFlow Lite models compiled by edgetpu_compiler; float ops are reported \"{UnsupportedDataType}\" and a float model does not get an Edge TPU subgraph worth having (float tensors can also make the compiler stop with \"Model not quantized\").",
        "Convert with full-integer post-training quantization (or quantization-aware training).",
        "rules-anchors.md §1.1 (CORAL-MI compatibility overview), §1.6, §1.7", FixKind.QuantizeModel);

    public override IReadOnlyList<Rule> Rules { get; } =
    [
        .. Common.All, DataType, DynamicShape, Rank, ConstantParameters, OpNotSupported,
        PoolActivation, ConcatActivation, ConcatConstant, ConvDilation, FullyConnected, Lstm, Mean, BatchAxis,
        PRelu, ResizeSize, Softmax, StridedSlice, SingleSubgraph, PartitionBreaker, ParameterCache, PerChannel, FloatModel,
    ];

    protected override void CheckOperator(OpContext ctx)
    {
        if (Common.Check(ctx)) return;
        var op = ctx.Op;
        // The compiler names the data type before the op type (a float DEQUANTIZE is "working on an unsupported data type").
        if (Artpec7Requirements.CheckData(ctx)) return;
        if (!Artpec7OpTable.Supported.Contains(op.Kind))
        {
            ctx.Report(OpNotSupported, $"{NotSupported}: {op.TypeName} is not in the Edge TPU operator table");
            return;
        }
        Artpec7OpLimits.Check(ctx);
        if (ctx.Result.Findings.Count == 0) Artpec7Requirements.CheckLayout(ctx);
    }

    protected override void Partition(TargetResult result) => Artpec7Partition.Apply(result);

    protected override void CheckModel(TargetResult result) => Artpec7ModelChecks.Check(result);
}
