using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Targets;

/// <summary>
/// Amlogic NPU (VeriSilicon Vivante, 1–4 convolution cores): the seven "AMLNN Convolution Acceleration
/// Tips" (seed 003) as rules, op support from VeriSilicon's TFLite vx-delegate (shared with ARTPEC-8),
/// and the float-on-NPU slowdown measured in TIM-VX #121.
/// </summary>
public sealed class AmlnnTarget : Target
{
    private const string Seed = "seed 003 (AMLNN Convolution Acceleration Tips)";

    public const int MaxFreePad = 7;
    public const int NativeStride = 2;
    public const int MinKernel = 1;
    /// <summary>Largest kernel the NN core supports is KernelStrideFactor·stride − 1.</summary>
    public const int KernelStrideFactor = 11;
    public const int OptimalKernel = 3;
    public const int FusedPoolStride = 2;
    /// <summary>Fusible max-pool sizes: the even one needs an even input, the odd one an odd input.</summary>
    public const int EvenFusedPool = 2, OddFusedPool = 3;
    public const int MaxPoolWidth8Bit = 64;
    public const int MaxPoolWidth16Bit = 32;
    public const double PrunedSparsity = Artpec8Target.PrunedSparsity;
    public static readonly IReadOnlyList<int> CoreCounts = [1, 2, 4];

    public static long MaxKernel(int stride) => (long)KernelStrideFactor * stride - 1;

    private readonly CommonRules _common = new("AML", "AMLNN");
    private readonly VeriSiliconDelegate _vx = new("AML", "AMLNN");

    // 1. Padding has no software overhead
    public Rule PadLimit { get; } = new("AML-PAD-LIMIT", RuleKind.Performance,
        $"Convolution padding is free only up to {MaxFreePad} per side",
        $"The NN core pads each side [Top, Bottom, Left, Right] in hardware at no cost; the maximum pad is {MaxFreePad}. Reported on convolutions whose padding exceeds {MaxFreePad} on a side (the excess needs a separate padding pass).",
        $"Keep padding ≤ {MaxFreePad} per side (smaller kernel or dilation, or pad earlier in the network).",
        $"{Seed} tip 1");

    public Rule PadFold { get; } = new("AML-PAD-FOLD", RuleKind.Performance,
        "An explicit PAD before a convolution could be free",
        $"An explicit PAD op is a pass over the feature map; when it only pads height/width by amounts that, added to the convolution's own padding, stay ≤ {MaxFreePad} per side, the NN core can do it for free as convolution padding.",
        "Drop the PAD and give the convolution that padding (e.g. padding='same' or explicit conv pads in ONNX).",
        $"{Seed} tip 1", FixKind.FoldPadding);

    // 2. Use pooling instead of stride
    public Rule Stride { get; } = new("AML-STRIDE", RuleKind.Performance,
        $"Strides other than 1 or {NativeStride} cost a TP reshuffle",
        $"The NN convolution core supports only stride {NativeStride} natively; any other stride makes the tensor processor reshuffle the input first, a small extra pass. Reported on CONV_2D/DEPTHWISE_CONV_2D with a stride other than 1 or {NativeStride} on either axis.",
        "Convolve without stride and shrink with a pooling layer.",
        $"{Seed} tip 2", FixKind.StrideViaPooling);

    // 3. Output channels a multiple of the core count
    public Rule CoreAlignment { get; } = new("AML-CORE-ALIGNMENT", RuleKind.Performance,
        "Output channels should be a multiple of the convolution core count",
        $"Output channels that are a multiple of the number of convolution cores keep every core busy; this matters most on -Q (quad-core) parts. Cores come from the target options ({string.Join("/", CoreCounts)}); the default, {TargetOptions.DefaultCores}, is the -Q configuration the tip stresses, and a multiple of {TargetOptions.DefaultCores} is also a multiple of 2 and 1, so a model aligned for it is aligned on every part.",
        "Round the output channels to a multiple of the core count.",
        $"{Seed} tip 3", FixKind.AlignChannels);

    // 4. Kernel size
    public Rule KernelRange { get; } = new("AML-KERNEL-RANGE", RuleKind.Performance,
        $"Kernels larger than {KernelStrideFactor}·stride−1 are outside the NN core's range",
        $"The convolution cores support kernels from {MinKernel} up to {KernelStrideFactor}·stride − 1 ({MaxKernel(1)} at stride 1, {MaxKernel(2)} at stride 2). A larger kernel cannot run on the convolution cores as one layer; the vx-delegate still accepts it (op_map.cc has no kernel check), so it stays on the NPU but must be split or run off the NN engine.",
        $"Use kernels ≤ {KernelStrideFactor}·stride − 1, ideally stacked {OptimalKernel}×{OptimalKernel}.",
        $"{Seed} tip 4", FixKind.UseSmallKernel);

    public Rule Kernel { get; } = new("AML-KERNEL", RuleKind.Performance,
        $"Optimal kernel size is {OptimalKernel}×{OptimalKernel}",
        $"The NN engine reaches its highest MAC utilisation with {OptimalKernel}×{OptimalKernel} kernels. Reported on square kernels other than {OptimalKernel}×{OptimalKernel} and 1×1 (pointwise kernels have no {OptimalKernel}×{OptimalKernel} equivalent) within the supported range.",
        $"Use {OptimalKernel}×{OptimalKernel} kernels; stack them for a larger receptive field.",
        $"{Seed} tip 4", FixKind.UseSmallKernel);

    public Rule NonSquare { get; } = new("AML-NON-SQUARE", RuleKind.Performance,
        "Non-square kernels have computation overhead",
        "Non-square kernels are supported with some computation overhead. Reported on every convolution whose kernel height and width differ.",
        $"Use square kernels ({OptimalKernel}×{OptimalKernel}).",
        $"{Seed} tip 4", FixKind.SquareKernel);

    // 5. Fused operations
    public Rule ActivationFusion { get; } = new("AML-ACTIVATION-FUSION", RuleKind.Performance,
        "Only ReLU directly after a convolution is fused",
        "The convolution core fuses a ReLU that follows a convolution (always). An activation after a convolution is not fused when it is not a ReLU (LOGISTIC, HARD_SWISH, LEAKY_RELU…), when the convolution already has a fused activation, or when the convolution output has other readers; it then costs its own pass. A fusible standalone RELU/RELU6 is not reported: the compiler fuses it.",
        "Use ReLU after convolutions where accuracy allows, and let it be the convolution's only reader.",
        $"{Seed} tip 5", FixKind.FuseActivation);

    public Rule MaxPoolFusion { get; } = new("AML-MAXPOOL-FUSION", RuleKind.Performance,
        "This max pool after a convolution cannot be fused",
        $"A MAX_POOL_2D that reads a convolution output is fused into the convolution only when: pool {EvenFusedPool}×{EvenFusedPool} or {OddFusedPool}×{OddFusedPool}, stride {FusedPoolStride}; no padding; {EvenFusedPool}×{EvenFusedPool} on an even input size; {OddFusedPool}×{OddFusedPool} on an odd input size other than 1; and for {OddFusedPool}×{OddFusedPool} an input width below {MaxPoolWidth8Bit} (8-bit) or {MaxPoolWidth16Bit} (16-bit; this tool applies the 16-bit limit to float tensors too, an assumption: the tips name only 8- and 16-bit modes). Reported with every condition the pool misses.",
        $"Use {EvenFusedPool}×{EvenFusedPool} stride {FusedPoolStride} VALID pooling on even feature maps (or {OddFusedPool}×{OddFusedPool} stride {FusedPoolStride} VALID on odd ones narrower than {MaxPoolWidth8Bit}).",
        $"{Seed} tip 5");

    // 6. Depthwise convolutions
    public Rule Depthwise { get; } = new("AML-DEPTHWISE", RuleKind.Performance,
        "Regular 2D convolutions perform better than depthwise",
        "Both are supported, but 2D convolutions perform more optimally, and depthwise structure is less friendly to quantization. Reported on every depthwise convolution.",
        "Use regular 2D convolutions where the budget allows.",
        $"{Seed} tip 6", FixKind.RegularConvolution);

    public Rule DepthwiseRelu6 { get; } = new("AML-DW-RELU6", RuleKind.Accuracy,
        "ReLU6 on a depthwise convolution hurts quantized accuracy",
        "For quantized accuracy on depthwise convolutions the tips say: change the activation RELU6 to RELU. Reported on a depthwise convolution with a fused RELU6 or a standalone RELU6 as its only reader.",
        "Replace RELU6 by RELU (or drop the activation) on depthwise layers and retrain.",
        $"{Seed} tip 6");

    public Rule DepthwiseBnActivation { get; } = new("AML-DW-BN-ACTIVATION", RuleKind.Accuracy,
        "Depthwise convolutions should have no BN or activation",
        "For quantized accuracy the tips say: remove the BN layer and the activation layer of depthwise convolutions. Reported on a depthwise convolution with a fused activation other than RELU6 (see AML-DW-RELU6), or read by a standalone activation, a BATCH_NORMALIZATION, or a MUL/ADD with a constant per-channel operand (an unfolded BN).",
        "Remove BN and activation after the depthwise convolution (keep them after the pointwise one) and retrain; use L2 regularisation on depthwise weights.",
        $"{Seed} tip 6");

    // 7. Sparsity
    public Rule Sparsity { get; } = new("AML-SPARSITY", RuleKind.Performance,
        "Sparse (pruned) weights run faster",
        $"AMLNN hardware skips computations and memory fetches on zero weights, down to individual weights. Reported with the measured share of zero weights of every convolution/fully connected layer below {VeriSiliconTips.Percent(PrunedSparsity)} (this tool's line for 'pruned'; the tips give no figure).",
        "Prune the layer (magnitude pruning) and fine-tune.",
        $"{Seed} tip 7");

    public Rule SparseStorage { get; } = new("AML-SPARSE-STORAGE", RuleKind.Performance,
        "Pruned weights help the NPU only when stored dense",
        "The NPU skips zero weights itself, but it cannot read TFLite's sparse storage: DENSIFY expands it on the CPU (see AML-SPARSE-WEIGHTS). Reported on every DENSIFY with the measured share of zeros of the tensor it expands.",
        "Convert without sparse storage (keep the pruned zeros in a dense tensor).",
        $"{Seed} tip 7; rules-anchors.md §4.4");

    public Rule FloatModel { get; } = new("AML-FLOAT-MODEL", RuleKind.Model,
        "Float models run at CPU speed (or worse) on VeriSilicon NPUs",
        "The vx-delegate accepts float ops, but the NPU is built for integer math: a float MobileNet ran in 191.7 ms on an A311D's NPU against 48.1 ms on 4 CPU threads (TIM-VX #121).",
        "Quantize the model to int8/uint8 (acuity `quantize`, or full-integer TFLite conversion).",
        "calibration.md (VeriSilicon/TIM-VX issue #121)", FixKind.QuantizeModel);

    public override string Id => "amlnn";
    public override string Name => "AMLNN";
    public override string Description =>
        $"Amlogic NPU (VeriSilicon Vivante, {string.Join("/", CoreCounts)} convolution cores; default {TargetOptions.DefaultCores}, the -Q part) run through VeriSilicon's TFLite vx-delegate: ops without a delegate mapper or refused by its checks fall back to the CPU; the seven AMLNN convolution tips become performance and accuracy findings.";

    public override IReadOnlyList<Rule> Rules =>
    [
        PadLimit, PadFold, Stride, CoreAlignment, KernelRange, Kernel, NonSquare, ActivationFusion, MaxPoolFusion,
        Depthwise, DepthwiseRelu6, DepthwiseBnActivation, Sparsity, SparseStorage, .. _vx.All, FloatModel, .. _common.All,
    ];

    protected override void CheckOperator(OpContext ctx)
    {
        if (!CoreCounts.Contains(ctx.Options.Cores))
            throw new ArgumentOutOfRangeException(nameof(ctx), ctx.Options.Cores, $"AMLNN has {string.Join(", ", CoreCounts)} convolution cores");
        var op = ctx.Op;
        if (op.Kind == OpKind.Densify && VeriSiliconTips.StoredSparsity(op.Input(0)) is { } stored)
            ctx.Report(SparseStorage, $"'{op.Input(0)!.Name}' is stored sparse with {VeriSiliconTips.Percent(stored)} zeros: keep the zeros but store the tensor dense, and the NPU skips them without a CPU DENSIFY");
        if (_common.Check(ctx) || _vx.CheckMapper(ctx) || _vx.CheckConfiguration(ctx)) return;

        if (op.Kind is OpKind.Conv2D or OpKind.DepthwiseConv2D or OpKind.TransposeConv && op.Attributes is ConvAttributes c)
            CheckConvolution(ctx, c);
        if (op.Kind is OpKind.Pad or OpKind.PadV2)
            CheckPadFold(ctx);
        if (IsActivation(op.Kind))
            CheckActivationFusion(ctx);
        if (op.Kind == OpKind.MaxPool2D && op.Attributes is PoolAttributes p)
            CheckMaxPoolFusion(ctx, p);
        if (Metrics.HasWeights(op.Kind) && VeriSiliconTips.WeightSparsity(op) is { } s && s < PrunedSparsity)
            ctx.Report(Sparsity, $"weights are {VeriSiliconTips.Percent(s)} zeros: the NPU skips zero weights, so pruning this layer would make it faster");
    }

    private static bool IsActivation(OpKind k) =>
        VeriSiliconTips.IsReluFamily(k) || k is OpKind.Logistic or OpKind.Tanh or OpKind.HardSwish or OpKind.LeakyRelu
            or OpKind.PRelu or OpKind.Elu or OpKind.Gelu;

    private void CheckConvolution(OpContext ctx, ConvAttributes c)
    {
        var op = ctx.Op;
        var pad = c.Padding;
        if (pad.Max > MaxFreePad)
            ctx.Report(PadLimit, $"padding top {pad.Top}, bottom {pad.Bottom}, left {pad.Left}, right {pad.Right}: more than {MaxFreePad} on a side is not free");

        var strided = op.Kind != OpKind.TransposeConv;
        if (strided && (c.StrideH is not (1 or NativeStride) || c.StrideW is not (1 or NativeStride)))
            ctx.Report(Stride, $"stride {c.StrideH}×{c.StrideW}: only stride {NativeStride} is native; the TP reshuffles the input first");

        if (VeriSiliconTips.OutputChannels(ctx.Graph, op) is { } outC && outC % ctx.Options.Cores != 0)
            ctx.Report(CoreAlignment, $"{outC} output channels on {ctx.Options.Cores} convolution cores: {outC % ctx.Options.Cores} core(s) idle in the last pass (nearest multiples: {VeriSiliconTips.NearestMultiples(outC, ctx.Options.Cores)})");

        var maxH = MaxKernel(strided ? c.StrideH : 1);
        var maxW = MaxKernel(strided ? c.StrideW : 1);
        var beyond = c.KernelH > maxH || c.KernelW > maxW;
        if (beyond)
            ctx.Report(KernelRange, $"kernel {c.KernelH}×{c.KernelW} at stride {c.StrideH}×{c.StrideW}: the NN core supports at most {maxH}×{maxW} ({KernelStrideFactor}·stride − 1)");
        if (c.KernelH != c.KernelW)
            ctx.Report(NonSquare, $"kernel {c.KernelH}×{c.KernelW} is not square: the NN core pays extra computation");
        else if (!beyond && c.KernelH is not (1 or OptimalKernel))
            ctx.Report(Kernel, $"kernel {c.KernelH}×{c.KernelW}: {OptimalKernel}×{OptimalKernel} reaches the highest MAC utilisation");

        if (op.Kind == OpKind.DepthwiseConv2D)
        {
            ctx.Report(Depthwise, $"depthwise {c.KernelH}×{c.KernelW} over {VeriSiliconTips.OutputChannels(ctx.Graph, op)?.ToString() ?? "?"} channels: 2D convolutions perform more optimally");
            CheckDepthwiseAccuracy(ctx, c);
        }
    }

    private void CheckDepthwiseAccuracy(OpContext ctx, ConvAttributes c)
    {
        var op = ctx.Op;
        if (c.Activation == FusedActivation.Relu6)
        {
            ctx.Report(DepthwiseRelu6, "fused RELU6 on a depthwise convolution: use RELU for better quantized accuracy");
            return;
        }
        if (c.Activation != FusedActivation.None)
        {
            ctx.Report(DepthwiseBnActivation, $"fused {c.Activation.ToString().ToUpperInvariant()} on a depthwise convolution: remove the activation for better quantized accuracy");
            return;
        }
        var readers = op.Output(0) is { } y ? VeriSiliconTips.ReadersThroughQdq(y) : [];
        if (readers.Count != 1) return;
        var next = readers[0];
        if (next.Kind == OpKind.Relu6)
            ctx.Report(DepthwiseRelu6, $"standalone RELU6 '{next.Name}' after a depthwise convolution: use RELU for better quantized accuracy");
        else if (IsActivation(next.Kind))
            ctx.Report(DepthwiseBnActivation, $"standalone {next.TypeName} '{next.Name}' after a depthwise convolution: remove it for better quantized accuracy");
        else if (next.Kind == OpKind.BatchNormalization || IsUnfoldedBatchNorm(ctx.Graph, next))
            ctx.Report(DepthwiseBnActivation, $"{next.TypeName} '{next.Name}' scales the depthwise output per channel (a BN layer): remove it for better quantized accuracy");
    }

    private static bool IsUnfoldedBatchNorm(Graph g, Operator op)
    {
        if (op.Kind is not (OpKind.Mul or OpKind.Add)) return false;
        var channels = g.Logical(op.Output(0))?.C ?? -1;
        return channels > 1 && op.Inputs.Any(t => t is { IsConstant: true } k && k.Shape.ElementCount == channels);
    }

    private void CheckPadFold(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Attributes is not PadAttributes { Paddings: { Count: 4 } p, Mirror: false } || op.Output(0) is not { } y
            || VeriSiliconTips.ReadersThroughQdq(y) is not [var conv]) return;
        if (conv.Kind is not (OpKind.Conv2D or OpKind.DepthwiseConv2D) || conv.Attributes is not ConvAttributes c) return;
        // Only H/W padding folds into the convolution (logical NHWC after the layout mapping).
        var (n, h, w, ch) = ctx.Graph.Layout == TensorLayout.Nhwc ? (p[0], p[1], p[2], p[3]) : (p[0], p[2], p[3], p[1]);
        if (n != (0, 0) || ch != (0, 0)) return;
        var top = h.Before + c.Padding.Top;
        var bottom = h.After + c.Padding.Bottom;
        var left = w.Before + c.Padding.Left;
        var right = w.After + c.Padding.Right;
        if (Math.Max(Math.Max(top, bottom), Math.Max(left, right)) > MaxFreePad) return;
        ctx.Report(PadFold, $"PAD {h.Before}/{h.After}/{w.Before}/{w.After} (top/bottom/left/right) feeds {conv.TypeName} '{conv.Name}': as convolution padding ({top}/{bottom}/{left}/{right}, ≤ {MaxFreePad}) it would be free");
    }

    private void CheckActivationFusion(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Input(0) is not { Producer: { } conv } x || !VeriSiliconTips.IsConvolution(conv.Kind) || conv.Attributes is not ConvAttributes c) return;
        string? why = null;
        if (!VeriSiliconTips.IsReluFamily(op.Kind)) why = $"the NN core fuses only ReLU, not {op.TypeName}";
        else if (c.Activation != FusedActivation.None) why = $"the convolution already has a fused {c.Activation.ToString().ToUpperInvariant()}";
        else if (x.Consumers.Count > 1) why = $"the convolution output has {x.Consumers.Count} readers";
        if (why is not null)
            ctx.Report(ActivationFusion, $"{op.TypeName} after {conv.TypeName} '{conv.Name}' is not fused ({why}): it costs a pass over [{x.Shape}]");
    }

    private void CheckMaxPoolFusion(OpContext ctx, PoolAttributes p)
    {
        var op = ctx.Op;
        if (op.Input(0) is not { Producer: { } conv } x || conv.Kind is not (OpKind.Conv2D or OpKind.DepthwiseConv2D) || x.Consumers.Count != 1) return;
        if (ctx.Graph.Logical(x) is not { } f) return;
        var misses = new List<string>();
        var size = p.FilterH == p.FilterW && p.FilterH is EvenFusedPool or OddFusedPool ? p.FilterH : 0;
        if (size == 0) misses.Add($"pool {p.FilterH}×{p.FilterW} (only {EvenFusedPool}×{EvenFusedPool} or {OddFusedPool}×{OddFusedPool} fuse)");
        if (p.StrideH != FusedPoolStride || p.StrideW != FusedPoolStride) misses.Add($"stride {p.StrideH}×{p.StrideW} (needs {FusedPoolStride})");
        if (!p.Padding.IsZero) misses.Add($"padding {p.Padding.Top}/{p.Padding.Bottom}/{p.Padding.Left}/{p.Padding.Right} (needs none)");
        if (size == EvenFusedPool && (f.H % 2 != 0 || f.W % 2 != 0)) misses.Add($"input {f.H}×{f.W} is not even ({size}×{size} needs even)");
        if (size == OddFusedPool && (f.H % 2 == 0 || f.W % 2 == 0 || f.H == 1 || f.W == 1)) misses.Add($"input {f.H}×{f.W} is not odd and > 1 ({size}×{size} needs that)");
        var maxWidth = x.Type.Bits() >= 16 ? MaxPoolWidth16Bit : MaxPoolWidth8Bit;
        if (size == OddFusedPool && f.W >= maxWidth) misses.Add($"input width {f.W} is not below {maxWidth} ({(maxWidth == MaxPoolWidth16Bit ? 16 : 8)}-bit mode)");
        if (misses.Count > 0)
            ctx.Report(MaxPoolFusion, $"MAX_POOL_2D after {conv.TypeName} '{conv.Name}' is not fused: {string.Join("; ", misses)}");
    }

    protected override void CheckModel(TargetResult result)
    {
        var npu = result.Ops.Where(o => o.Placement.OnNpu()).ToList();
        var floating = npu.Count(o => o.Op.Outputs.Any(t => t.Type.IsFloat()));
        if (floating > 0)
            result.ModelFindings.Add(new Finding
            {
                Rule = FloatModel,
                Message = $"{floating} of {npu.Count} NPU ops compute in float ({result.Graph.Scheme().Describe()}): expect CPU speed or worse until the model is quantized",
                Fix = FloatModel.Fix,
            });
    }
}
