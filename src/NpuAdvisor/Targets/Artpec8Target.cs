using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Targets;

/// <summary>
/// Axis ARTPEC-8 DLPU: Axis's optimisation tips and operator table (seed 000 "ARTPEC-8"), run through
/// VeriSilicon's vx-delegate (rules-anchors.md §4), which refuses further configurations per op, and
/// larod's refusal to load a model of more than 16 NPU/CPU partitions.
/// </summary>
public sealed class Artpec8Target : Target
{
    private const string Seed = "seed 000 (Axis optimization tips, ARTPEC-8)";

    public const int FilterMultiple = 6;
    public const int NativeStride = 2;
    public const int OptimalKernel = 3;
    public const int MaxPartitions = 16;
    /// <summary>Below this share of zero weights a layer is reported as not (much) pruned. A tool choice; Axis gives no figure.</summary>
    public const double PrunedSparsity = 0.5;

    /// <summary>Axis's "specific supported operators for the ARTPEC-8 DLPU" table, row by row.</summary>
    public static readonly IReadOnlySet<OpKind> DlpuTable = new HashSet<OpKind>
    {
        // Neural Network
        OpKind.FullyConnected, OpKind.Conv2D, OpKind.DepthwiseConv2D, OpKind.TransposeConv, OpKind.MaxPool2D, OpKind.AveragePool2D,
        // Data Manipulation
        OpKind.Concatenation, OpKind.Reshape, OpKind.ExpandDims, OpKind.Squeeze, OpKind.Slice, OpKind.StridedSlice, OpKind.Gather,
        OpKind.GatherNd, OpKind.OneHot, OpKind.Split, OpKind.Transpose, OpKind.ResizeNearestNeighbor, OpKind.ResizeBilinear, OpKind.Cast,
        // Math
        OpKind.Add, OpKind.AddN, OpKind.Mul, OpKind.Div, OpKind.FloorDiv, OpKind.Pow, OpKind.Square, OpKind.Sin, OpKind.Tanh, OpKind.Abs,
        OpKind.Neg, OpKind.Sqrt, OpKind.Floor, OpKind.Minimum, OpKind.Maximum,
        // Comparison
        OpKind.Equal, OpKind.NotEqual, OpKind.Less, OpKind.LessEqual, OpKind.Greater, OpKind.GreaterEqual,
        // Logic
        OpKind.LogicalNot, OpKind.LogicalAnd, OpKind.LogicalOr,
        // Activation Functions
        OpKind.Relu, OpKind.Relu6, OpKind.Softmax, OpKind.Gelu, OpKind.Elu, OpKind.HardSwish,
        // Reduction
        OpKind.ReduceMin, OpKind.ReduceMax, OpKind.ReduceAny, OpKind.ReduceProd,
        // Indexing
        OpKind.ArgMin, OpKind.ArgMax,
    };

    private readonly CommonRules _common = new("A8", "ARTPEC-8");
    private readonly VeriSiliconDelegate _vx = new("A8", "ARTPEC-8");

    // Tips, in the order Axis lists them.
    public Rule PerChannel { get; } = new("A8-PER-CHANNEL", RuleKind.Performance,
        "Per-channel quantized weights are significantly slower",
        "Axis: \"Use per-tensor quantization\"; a per-axis model \"will perform inference significantly slower than an equivalent per-tensor quantized model\" (results stay the same). Reported on every DLPU op whose integer weights carry one scale per output channel.",
        "Re-export with per-tensor weights (TF2: converter._experimental_disable_per_channel = True, or TF1.15 QAT).",
        $"{Seed} tip 1; hardware-notes.md (tensorflow-to-larod-artpec8 README lines 125–132); rules-anchors.md §4 (onnx-to-keras #43)",
        FixKind.PerTensorQuantization);

    public Rule PerChannelModel { get; } = new("A8-PER-CHANNEL-MODEL", RuleKind.Model,
        "The model is quantized per channel",
        "ARTPEC-8's DLPU overview asks for INT8 per-tensor models; per-channel weights make the whole model significantly slower on the DLPU. Reported once with the count of per-channel weight tensors.",
        "Re-export the whole model with per-tensor quantization.",
        $"{Seed} tip 1; hardware-notes.md (axis-dlpu overview: ARTPEC-8 INT8 per-tensor)", FixKind.PerTensorQuantization);

    public Rule Depthwise { get; } = new("A8-DEPTHWISE", RuleKind.Performance,
        "Regular convolutions beat depthwise convolutions",
        "Axis: \"Prefer regular convolutions over depth-wise convolutions\" (RegNet-18 runs more efficiently than MobileNet on ARTPEC-8). Reported on every depthwise convolution on the DLPU.",
        "Replace depthwise + pointwise pairs by regular convolutions (RegNet/ResNet-style blocks).",
        $"{Seed} tip 2", FixKind.RegularConvolution);

    public Rule Kernel { get; } = new("A8-KERNEL", RuleKind.Performance,
        $"Optimal kernel size is {OptimalKernel}×{OptimalKernel}",
        $"Axis: \"Optimal kernel size is {OptimalKernel}x{OptimalKernel}\". Reported on square kernels other than {OptimalKernel}×{OptimalKernel} and 1×1 (pointwise kernels have no {OptimalKernel}×{OptimalKernel} equivalent); non-square kernels are A8-NON-SQUARE.",
        $"Use {OptimalKernel}×{OptimalKernel} kernels; stack them to reach a larger receptive field.",
        $"{Seed} tip 3", FixKind.UseSmallKernel);

    public Rule NonSquare { get; } = new("A8-NON-SQUARE", RuleKind.Performance,
        $"Non-square kernels are not the optimal {OptimalKernel}×{OptimalKernel}",
        $"Axis: \"Optimal kernel size is {OptimalKernel}x{OptimalKernel}\". Reported on every convolution whose kernel height and width differ (1×{OptimalKernel}, 7×1…).",
        $"Use square {OptimalKernel}×{OptimalKernel} kernels.",
        $"{Seed} tip 3", FixKind.SquareKernel);

    public Rule Stride { get; } = new("A8-STRIDE", RuleKind.Performance,
        $"Only stride {NativeStride} is native; use pooling for other strides",
        $"Axis: \"Use stride {NativeStride} whenever possible as it is natively supported by the convolution engine. For other cases, consider using pooling.\" Reported on convolutions with a stride other than 1 or {NativeStride} on either axis.",
        $"Convolve at stride 1 (or {NativeStride}) and shrink with a pooling layer.",
        $"{Seed} tip 4", FixKind.StrideViaPooling);

    public Rule Filters { get; } = new("A8-FILTERS", RuleKind.Performance,
        $"Filters per convolution should be a multiple of {FilterMultiple}",
        $"Axis: \"Ensure the number of filters per convolution block is a multiple of {FilterMultiple}\". Reported on CONV_2D and TRANSPOSE_CONV whose output channel count is not.",
        $"Round the filter count to a multiple of {FilterMultiple}.",
        $"{Seed} tip 5", FixKind.AlignChannels);

    public Rule ReluFusion { get; } = new("A8-RELU-FUSION", RuleKind.Performance,
        "ReLU after a convolution should be fused into it",
        "Axis: \"Applying ReLU as the activation function after a convolution will result in a faster fused layer.\" Reported on a standalone RELU/RELU6 that is the only reader of a convolution output without a fused activation.",
        "Make the activation the convolution's fused activation (Conv2D(activation='relu') before conversion).",
        $"{Seed} tip 6", FixKind.FuseActivation);

    public Rule Sparsity { get; } = new("A8-SPARSITY", RuleKind.Performance,
        "Sparse (pruned) weights run faster",
        $"Axis: \"Sparsification can improve the performance of the model.\" The DLPU skips exact zeros. Reported with the measured share of zero weights of every DLPU convolution/fully connected layer below {VeriSiliconTips.Percent(PrunedSparsity)} (this tool's line for 'pruned'; Axis gives no figure).",
        "Prune the layer (e.g. TF Model Optimization magnitude pruning) and fine-tune.",
        $"{Seed} tip 7; rules-anchors.md §5 (zero-skipping)");

    public Rule SparseStorage { get; } = new("A8-SPARSE-STORAGE", RuleKind.Performance,
        "Pruned weights help the DLPU only when stored dense",
        "The DLPU skips zero weights, but it cannot read TFLite's sparse storage: DENSIFY expands it on the CPU (see A8-SPARSE-WEIGHTS). Reported on every DENSIFY with the measured share of zeros of the tensor it expands.",
        "Convert without sparse storage (keep the pruned zeros in a dense tensor).",
        $"{Seed} tip 7; rules-anchors.md §4.4");

    public Rule ZeroSkipping { get; } = new("A8-ZERO-SKIPPING", RuleKind.Performance,
        "LeakyReLU/PReLU defeat the DLPU's zero-skipping",
        "ARTPEC-8 skips exact zeros, so ReLU (which outputs many zeros) is much more efficient than LeakyReLU, whose negative slope leaves none. Reported on every LEAKY_RELU and PRELU.",
        "Use ReLU (fused into the convolution) where accuracy allows.",
        "rules-anchors.md §5 (zero-skipping: ReLU much more efficient than LeakyReLU)");

    // Operator table and delegate.
    public Rule NotSupported { get; } = new("A8-NOT-SUPPORTED", RuleKind.Unsupported,
        "Operators outside the DLPU table (and the vx-delegate) run on the CPU",
        $"Neither Axis's ARTPEC-8 operator table ({DlpuTable.Count} operators) nor the vx-delegate ARTPEC-8 runs maps the operator, so TFLite runs it on the CPU (the camera logs \"Fallback unsupported op N to TfLite\").",
        "Replace the op by one in the table, or move it to the end of the graph.",
        $"{Seed} operator table; rules-anchors.md §4 (acap-native-sdk-examples #185)", FixKind.MoveToNpu);

    public Rule OffTable { get; } = new("A8-OFF-TABLE", RuleKind.Performance,
        "Operator not in Axis's table, but mapped by the vx-delegate",
        "Axis's table does not list the operator, but the VeriSilicon vx-delegate that ARTPEC-8 runs maps it, and Axis's own ARTPEC-8 models use such ops (YOLOv5n: PAD, LOGISTIC, QUANTIZE). It is placed on the DLPU; Axis does not promise its speed, so measure it.",
        "Measure the op on the camera (larod-client); replace it by a table op if it is slow.",
        $"{Seed} operator table; {VeriSiliconDelegate.OpMap} registry; rules-anchors.md §4");

    public Rule Int8Only { get; } = new("A8-INT8-ONLY", RuleKind.Performance,
        "The DLPU is built for int8/uint8: other data types compute slowly",
        "Axis: the ARTPEC-8 DLPU takes INT8 models. Where an op runs is the vx-delegate's decision (the A8-VX-* checks): it maps float and int32 ops too, so this tip does not move the op; it is reported on every DLPU op that computes on float, 16-bit or 32-bit integer data (int32 indices, shapes and the results of ARG_MIN/ARG_MAX, SHAPE and CAST excepted), where the integer engine is not used as designed.",
        "Quantize the model fully to int8/uint8 (per tensor).",
        $"rules-anchors.md §5 (int8/uint8 only); hardware-notes.md (axis-dlpu overview); placement from {VeriSiliconDelegate.OpMap} OpMapperBase::IsSupported", FixKind.Quantize);

    public Rule FloatModel { get; } = new("A8-FLOAT-MODEL", RuleKind.Model,
        "The model is not fully 8-bit quantized",
        "ARTPEC-8's DLPU is built for INT8 models; the vx-delegate maps float ops, but they compute far below the integer rate (a float MobileNet on a VeriSilicon NPU ran at CPU speed or worse, TIM-VX #121). Reported once with the count of ops computing on float tensors.",
        "Convert with full-integer post-training quantization, per tensor (or quantization-aware training).",
        "rules-anchors.md §5 (int8/uint8 only); hardware-notes.md (axis-dlpu overview); calibration.md (VeriSilicon/TIM-VX issue #121)", FixKind.QuantizeModel);

    public Rule Partitions { get; } = new("A8-PARTITIONS", RuleKind.Model,
        $"More than {MaxPartitions} NPU/CPU partitions: the model does not load",
        $"larod refuses an ARTPEC-8 model whose DLPU/CPU alternation makes more than {MaxPartitions} graph partitions: \"Model contains too many graph partitions (N > {MaxPartitions}) and M of the graph partitions can't be run on the device\".",
        $"Remove the CPU ops between DLPU ops (or group them at the end) so at most {MaxPartitions} partitions remain.",
        "rules-anchors.md §4 (acap-computer-vision-sdk-examples #141)");

    public override string Id => "artpec8";
    public override string Name => "ARTPEC-8";
    public override string Description =>
        $"Axis ARTPEC-8 DLPU (VeriSilicon NPU behind TFLite's vx-delegate). Ops in Axis's table or mapped by the vx-delegate go to the DLPU when the delegate's checks accept them; anything else falls back to the CPU. Float and wide-integer compute on the DLPU is a performance finding. More than {MaxPartitions} partitions: the model does not load.";

    public override IReadOnlyList<Rule> Rules =>
    [
        PerChannel, PerChannelModel, Depthwise, Kernel, NonSquare, Stride, Filters, ReluFusion, Sparsity, SparseStorage, ZeroSkipping,
        NotSupported, OffTable, .. _vx.ConfigurationRules, Int8Only, FloatModel, Partitions, .. _common.All,
    ];

    protected override void CheckOperator(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Kind == OpKind.Densify && VeriSiliconTips.StoredSparsity(op.Input(0)) is { } stored)
            ctx.Report(SparseStorage, $"'{op.Input(0)!.Name}' is stored sparse with {VeriSiliconTips.Percent(stored)} zeros: keep the zeros but store the tensor dense, and the DLPU skips them without a CPU DENSIFY");
        if (_common.Check(ctx)) return;
        if (op.Kind is OpKind.LeakyRelu or OpKind.PRelu)
            ctx.Report(ZeroSkipping, op.Attributes is LeakyReluAttributes l
                ? FormattableString.Invariant($"LEAKY_RELU with alpha {l.Alpha:G3} leaves no exact zeros for the DLPU to skip")
                : $"{op.TypeName} leaves no exact zeros for the DLPU to skip");

        var inTable = DlpuTable.Contains(op.Kind);
        if (!inTable && !VeriSiliconDelegate.IsMapped(op.Kind))
        {
            ctx.Report(NotSupported, $"Fallback unsupported {VeriSiliconBuiltinCodes.Describe(op)} to TfLite: not in the ARTPEC-8 DLPU table");
            return;
        }
        if (_vx.CheckConfiguration(ctx)) return;
        CheckDataTypes(ctx);
        if (!inTable)
            ctx.Report(OffTable, $"{op.TypeName} is not in Axis's ARTPEC-8 table; the vx-delegate maps it, so it is placed on the DLPU");
        CheckTips(ctx);
    }

    private void CheckDataTypes(OpContext ctx)
    {
        var op = ctx.Op;
        var tensors = op.Inputs.Where(t => t is { IsConstant: false }).Select(t => t!).Concat(op.Outputs);
        var bad = tensors.FirstOrDefault(t => t.Type.IsFloat() || t.Type is DataType.Int16 or DataType.UInt16)
                  ?? IntegerData(op).FirstOrDefault(t => t is { IsConstant: false, Type: DataType.Int32 or DataType.Int64 or DataType.UInt32 });
        if (bad is not null)
            ctx.Report(Int8Only, $"'{bad.Name}' is {bad.Type.Name()}: the vx-delegate maps the op, but the DLPU is built for int8/uint8");
    }

    /// <summary>
    /// The tensors carrying the op's data (input 0, the second operand of binary math, output 0), where a
    /// 32/64-bit integer means integer arithmetic. Index-like tensors may be int32: ARG_MIN/ARG_MAX/SHAPE
    /// results, CAST's target, and the indices and shape parameters in other input slots.
    /// </summary>
    private static IEnumerable<Tensor?> IntegerData(Operator op)
    {
        yield return op.Input(0);
        if (op.Attributes is ElementwiseAttributes) yield return op.Input(1);
        if (op.Kind is not (OpKind.ArgMax or OpKind.ArgMin or OpKind.Shape or OpKind.Cast)) yield return op.Output(0);
    }

    private void CheckTips(OpContext ctx)
    {
        var op = ctx.Op;
        var g = ctx.Graph;
        if (Metrics.HasWeights(op.Kind) && Metrics.StoredWeights(op.Weights()) is { } w
            && w.Type.IsInteger() && w.Quantization.Kind == QuantizationKind.PerAxis)
            ctx.Report(PerChannel, $"weights '{w.Name}' carry {w.Quantization.Scales.Length} per-channel scales: per-axis weights run significantly slower than per-tensor on ARTPEC-8");

        if (op.Attributes is ConvAttributes c && VeriSiliconTips.IsConvolution(op.Kind))
        {
            if (op.Kind == OpKind.DepthwiseConv2D)
                ctx.Report(Depthwise, $"depthwise {c.KernelH}×{c.KernelW} over {VeriSiliconTips.OutputChannels(g, op)?.ToString() ?? "?"} channels: regular convolutions run more efficiently on ARTPEC-8");
            if (c.KernelH != c.KernelW)
                ctx.Report(NonSquare, $"kernel {c.KernelH}×{c.KernelW} is not square: {OptimalKernel}×{OptimalKernel} is optimal on ARTPEC-8");
            else if (c.KernelH is not (1 or OptimalKernel))
                ctx.Report(Kernel, $"kernel {c.KernelH}×{c.KernelW}: {OptimalKernel}×{OptimalKernel} is optimal on ARTPEC-8");
            if (op.Kind != OpKind.TransposeConv && (c.StrideH is not (1 or NativeStride) || c.StrideW is not (1 or NativeStride)))
                ctx.Report(Stride, $"stride {c.StrideH}×{c.StrideW}: only stride {NativeStride} is native on the convolution engine; convolve at stride 1 and pool");
            if (op.Kind is OpKind.Conv2D or OpKind.TransposeConv && VeriSiliconTips.OutputChannels(g, op) is { } filters && filters % FilterMultiple != 0)
                ctx.Report(Filters, $"{filters} filters: not a multiple of {FilterMultiple} (nearest: {VeriSiliconTips.NearestMultiples(filters, FilterMultiple)})");
        }

        if (op.Kind is OpKind.Relu or OpKind.Relu6 && VeriSiliconTips.FusibleConvolution(op) is { } conv)
            ctx.Report(ReluFusion, $"standalone {op.TypeName} after {conv.TypeName} '{conv.Name}' (no fused activation): fusing them makes one faster layer");

        if (Metrics.HasWeights(op.Kind) && VeriSiliconTips.WeightSparsity(op) is { } s && s < PrunedSparsity)
            ctx.Report(Sparsity, $"weights are {VeriSiliconTips.Percent(s)} zeros: the DLPU skips zero weights, so pruning this layer would make it faster");
    }

    protected override void CheckModel(TargetResult result)
    {
        var weighted = result.Ops.Where(o => Metrics.HasWeights(o.Op.Kind)).ToList();
        var perChannel = weighted.Count(o => Metrics.StoredWeights(o.Op.Weights()) is { } w && w.Type.IsInteger() && w.Quantization.Kind == QuantizationKind.PerAxis);
        if (perChannel > 0)
            result.ModelFindings.Add(new Finding
            {
                Rule = PerChannelModel,
                Message = $"{perChannel} of {weighted.Count} weight tensors are quantized per channel ({result.Graph.Scheme().Describe()}): ARTPEC-8 wants per-tensor models",
                Fix = PerChannelModel.Fix,
            });

        var floatOps = result.Ops.Count(r => r.Findings.Any(f => f.Rule == Int8Only) && ArtpecTensors.Activations(r.Op).Any(a => a.Tensor.Type.IsFloat()));
        if (floatOps > 0)
            result.ModelFindings.Add(new Finding
            {
                Rule = FloatModel, Fix = FloatModel.Fix,
                Message = $"{floatOps} of {result.Ops.Count} ops compute on float tensors, far below the DLPU's int8 rate (scheme: {result.Graph.Scheme().Describe()})",
            });

        var partitions = result.Segments.Count;
        if (partitions > MaxPartitions)
            result.ModelFindings.Add(new Finding
            {
                Rule = Partitions,
                Message = $"Model contains too many graph partitions ({partitions} > {MaxPartitions}) and {result.Segments.Count(s => !s.OnNpu)} of the graph partitions can't be run on the device",
                Fix = Partitions.Fix,
            });
    }
}
