using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using static NpuAdvisor.Targets.Artpec9Limits;

namespace NpuAdvisor.Targets;

/// <summary>The ARTPEC-9 operator table, one check per row in the seed's order; messages use Ethos-N's reason texts.</summary>
internal static class Artpec9Ops
{
    public static void Check(OpContext ctx)
    {
        var op = ctx.Op;
        switch (op.Kind)
        {
            case OpKind.Add: Add(ctx); break;
            case OpKind.AveragePool2D: AvgPool(ctx); break;
            case OpKind.Concatenation: Concat(ctx); break;
            case OpKind.Conv2D or OpKind.DepthwiseConv2D or OpKind.TransposeConv: Convolution(ctx); break;
            case OpKind.DepthToSpace: DepthToSpace(ctx); break;
            case OpKind.FullyConnected: FullyConnected(ctx); break;
            case OpKind.LeakyRelu when op.Attributes is LeakyReluAttributes l && !(l.Alpha > 0 && l.Alpha < 1):
                ctx.Report(Artpec9Target.LeakyRelu, $"Leaky relu alpha must be less than 1 and greater than 0: alpha is {l.Alpha:G6}");
                break;
            case OpKind.MaxPool2D: MaxPool(ctx); break;
            case OpKind.Mean: Mean(ctx); break;
            case OpKind.Mul: Mul(ctx); break;
            case OpKind.Pad or OpKind.PadV2: Pad(ctx); break;
            case OpKind.Relu or OpKind.Relu6 or OpKind.ReluN1To1: Relu(ctx); break;
            case OpKind.Quantize: Requantize(ctx); break;
            case OpKind.ResizeBilinear or OpKind.ResizeNearestNeighbor: Resize(ctx); break;
            case OpKind.Logistic: FixedOutput(ctx, Artpec9Target.Sigmoid, SigmoidScale, -128, 0); break;
            case OpKind.Split or OpKind.SplitV: Split(ctx); break;
            case OpKind.Tanh: FixedOutput(ctx, Artpec9Target.Tanh, TanhScale, 0, 128); break;
        }
    }

    private static Nhwc? Fm(OpContext ctx, Tensor? t) => FeatureMaps.Logical(ctx.Graph, t);

    /// <summary>Native equal-shape addition, else Arm NN's constant replacements, in the order GetAdditionSupportedMode tries them.</summary>
    private static void Add(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Input(0) is not { } a || op.Input(1) is not { } b || a.Shape.Equals(b.Shape) || op.Output(0) is not { } y) return;
        var (x, k) = b.IsConstant ? (a, b) : (b, a);
        var channels = Fm(ctx, x)?.C;
        var perChannel = k.IsConstant && channels is { } c && Fm(ctx, k) is { N: 1, H: 1, W: 1 } kc && kc.C == c;
        if (perChannel && k.Type.Is8Bit() && k.Quantization.IsQuantized)
        {
            // The identity depthwise weight is 1/n (n ≤ 255) with input scale × weight scale ≤ output scale.
            if (Math.Min(y.Quantization.Scale / x.Quantization.Scale, 1.0) < 1.0 / AddDepthwiseMaxWeight)
                ctx.Report(Artpec9Target.Add, $"Addition operation was attempted to be substituted for DepthwiseConvolution2d, however the following error occurred in the substitution: Couldn't find valid weight scale (output/input scale {y.Quantization.Scale / x.Quantization.Scale:G4} < 1/{AddDepthwiseMaxWeight})");
            return;
        }
        if (k.IsConstant && k.Shape.ElementCount == 1)
        {
            if (Math.Abs(y.Quantization.Scale - x.Quantization.Scale) >= ScalarAddScaleTolerance)
                ctx.Report(Artpec9Target.Add, $"Input and output quantization scales are not equal: adding scalar '{k.Name}' needs output scale {y.Quantization.Scale:G6} = input scale {x.Quantization.Scale:G6}");
            else if (ScalarValue(k) is not { } value)
                ctx.Report(Artpec9Target.Add, $"scalar '{k.Name}' ({k.Type.Name()}) is not an 8-bit or int32 quantized constant: Data type is not supported");
            else if (Math.Abs(x.Quantization.ZeroPoint - value / x.Quantization.Scale - y.Quantization.ZeroPoint) > ScalarAddZeroPointTolerance)
                ctx.Report(Artpec9Target.Add, $"Quantization info for input, scalar and output are not coherent: adding {value:G6} implies output zero point {x.Quantization.ZeroPoint - value / x.Quantization.Scale:G6}, the output has {y.Quantization.ZeroPoint}");
            return;
        }
        ctx.Report(Artpec9Target.Add, $"Cannot stretch along the requested dimensions: {a.Shape} + {b.Shape} is neither element by element nor a constant 1×1×1×{channels?.ToString() ?? "C"} or scalar");
    }

    /// <summary>The real value of a one-element quantized constant (uint8, int8 or int32 data), as Arm NN reads it.</summary>
    private static double? ScalarValue(Tensor k)
    {
        if (k.Data.IsEmpty || !k.Quantization.IsQuantized) return null;
        long q = k.Type switch
        {
            DataType.UInt8 => k.Data.Span[0],
            DataType.Int8 => (sbyte)k.Data.Span[0],
            DataType.Int32 when k.Data.Length >= 4 => System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(k.Data.Span),
            _ => long.MinValue,
        };
        return q == long.MinValue ? null : k.Quantization.Scale * (q - k.Quantization.ZeroPoint);
    }

    private static void AvgPool(OpContext ctx)
    {
        if (ctx.Op.Attributes is not PoolAttributes p || Fm(ctx, ctx.Op.Input(0)) is not { } x) return;
        var (fh, fw) = p.IsGlobal ? ((int)x.H, (int)x.W) : (p.FilterH, p.FilterW);
        var config = $"pool {fh}×{fw} stride {p.StrideH},{p.StrideW} padding {p.Padding.Kind} on {x.H}×{x.W} input";
        if (fh != fw)
        {
            ctx.Report(Artpec9Target.AvgPool, $"Unsupported configuration in AVG pooling: {config}; the pool must be square");
            return;
        }
        // The code compares pad amounts, {1,1,1,1} (what SAME gives a 3×3 stride-1 pool), not the padding kind.
        var same3x3 = fh == AvgPoolKernel && p.StrideH == 1 && p.StrideW == 1 && p.Padding is { Top: 1, Bottom: 1, Left: 1, Right: 1 };
        var mean = MeanSizes.Contains(fh) && x.H == fh && x.W == fw && p.Padding.IsZero;
        if (!same3x3 && !mean)
            ctx.Report(Artpec9Target.AvgPool, $"Unsupported configuration in AVG pooling: {config}; supported: {AvgPoolKernel}×{AvgPoolKernel} stride 1,1 SAME, or a mean over a whole {string.Join(" or ", MeanSizes.Select(s => $"{s}×{s}"))} input");
    }

    private static void Concat(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Attributes is not AxisAttributes a || op.Output(0) is not { } o) return;
        var axis = ArtpecTensors.Normalize(a.Axis, o.Shape.Rank);
        var tooSmall = op.Inputs.FirstOrDefault(t => t is not null && t.Quantization.IsQuantized && o.Quantization.IsQuantized
                                                     && o.Quantization.Scale <= t.Quantization.Scale / RequantizeRatio);
        if (tooSmall is not null)
            ctx.Report(Artpec9Target.ConcatScale, $"Output scales must be bigger than input scale / {RequantizeRatio}: output {o.Quantization.Scale:G6}, input '{tooSmall.Name}' {tooSmall.Quantization.Scale:G6}");
        else if (o.Shape.Rank == 4 && axis == 0)
            ctx.Report(Artpec9Target.ConcatAxis, "Concatenation cannot be performed along batch axis (axis 0)");
        else if (o.Shape.Rank == 4 && axis == ctx.Graph.ChannelAxis()
                 && op.Inputs.Where(t => t is not null).Select(t => Fm(ctx, t)?.C ?? 0).ToList() is var channels
                 && channels.Any(c => c % ChannelMultiple != 0))
            ctx.Report(Artpec9Target.ConcatChannels, $"Concatenation along the channels dimension requires input tensors with a multiple of {ChannelMultiple} channels: inputs have {string.Join(" + ", channels)}");
    }

    private static void Convolution(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Attributes is not ConvAttributes c) return;
        var kernel = $"kernel {c.KernelH}×{c.KernelW} stride {c.StrideH},{c.StrideW}";
        // Arm NN builds the bias and convolution infos (and refuses) before the support library's own checks.
        if (BiasProblem(ctx)) return;
        if (op.Kind != OpKind.TransposeConv && (c.DilationH != 1 || c.DilationW != 1))
        {
            ctx.Report(Artpec9Target.Dilation, $"Dilation not supported: dilation {c.DilationH}×{c.DilationW}");
            return;
        }
        if (!KernelSizes.Contains(c.KernelW) || !KernelSizes.Contains(c.KernelH))
        {
            ctx.Report(Artpec9Target.ConvKernel, $"Unsupported kernel size. Width({c.KernelW})/height({c.KernelH}) must be in {Set(KernelSizes)}");
            return;
        }
        if (op.Kind == OpKind.TransposeConv)
        {
            if (c.StrideH != TransposeConvStride || c.StrideW != TransposeConvStride)
                ctx.Report(Artpec9Target.TransposeConvStride, $"Unsupported stride. Stride X and Y must be equal to {TransposeConvStride}: {kernel}");
            else if (Math.Max(c.KernelH, c.KernelW) > LargeKernel && c.Padding.Kind != PaddingKind.Same)
                ctx.Report(Artpec9Target.TransposeConvPadding, $"Padding must be SAME for kernel > {LargeKernel}x{LargeKernel}: {kernel} padding {c.Padding.Kind}");
            else OverallScale(ctx);
            return;
        }
        if (op.Kind == OpKind.DepthwiseConv2D && c.KernelH != c.KernelW)
        {
            ctx.Report(Artpec9Target.DepthwiseKernelSquare, $"{kernel}: depthwise kernels must be square");
            return;
        }
        if (c.StrideH != c.StrideW || !ConvStrides.Contains(c.StrideH))
        {
            ctx.Report(Artpec9Target.ConvStride, $"Unsupported stride. Stride X and Y must be equal and in {Set(ConvStrides)}: {kernel}");
            return;
        }
        if (op.Kind == OpKind.Conv2D && Math.Max(c.KernelH, c.KernelW) > LargeKernel && c.StrideH != 1)
        {
            ctx.Report(Artpec9Target.ConvLargeKernel, $"Unsupported stride for kernel width/height > {LargeKernel}. Stride X and Y must be 1: {kernel}");
            return;
        }
        if (op.Kind == OpKind.DepthwiseConv2D)
        {
            if (c.KernelH == 1 && c.StrideH > 1)
            {
                ctx.Report(Artpec9Target.DepthwiseStride1x1, $"Unsupported stride >1 with kernel size 1x1: {kernel}");
                return;
            }
            var inC = Fm(ctx, op.Input(0))?.C ?? -1;
            var multiplier = Fm(ctx, op.Output(0)) is { C: > 0 } o && inC > 0 ? o.C / inC : c.DepthMultiplier;
            if (multiplier > 1 && inC != 1)
            {
                ctx.Report(Artpec9Target.DepthwiseMultiplier, $"channel multiplier {multiplier} with {inC} input channels: if channel multiplier > 1 the weights input channels dimension must be 1");
                return;
            }
        }
        if (c.Padding.Kind == PaddingKind.Explicit && c.Padding.Max > MaxPadding)
        {
            ctx.Report(Artpec9Target.ConvPadding, $"Unsupported padding: explicit padding {c.Padding.Top},{c.Padding.Bottom},{c.Padding.Left},{c.Padding.Right} exceeds {MaxPadding}");
            return;
        }
        OverallScale(ctx);
    }

    private static void FullyConnected(OpContext ctx)
    {
        var op = ctx.Op;
        // Arm NN passes { batch, 1, 1, elements / batch } with the batch as TFLite reads it: input elements over the weights' input size.
        if (op.Input(0) is { Shape.ElementCount: > 0 } x && op.Weights() is { Shape.ElementCount: > 0 } w
            && op.Output(0) is { Shape.Rank: > 0 } y && y.Shape.FromEnd(1) is > 0 and var units)
        {
            var inputSize = w.Shape.ElementCount!.Value / units;
            if (inputSize > 0 && x.Shape.ElementCount!.Value / inputSize is var batch and not Batch)
            {
                ctx.Report(Artpec9Target.BatchSize, $"Batch size must be {Batch}: FULLY_CONNECTED reads '{x.Name}' [{x.Shape}] as {batch} rows of {inputSize}");
                return;
            }
        }
        if (BiasProblem(ctx)) return;
        OverallScale(ctx);
    }

    /// <summary>Arm NN's BuildEthosNBiasesInfo, then the support library's bias type and zero-point checks.</summary>
    private static bool BiasProblem(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Input(2) is not { } b || op.Input(0) is not { Quantization.IsQuantized: true } x
            || op.Weights() is not { Quantization.IsQuantized: true } w) return false;
        string? problem = null;
        if (b.Type != DataType.Int32)
            problem = $"Bias '{b.Name}' is {b.Type.Name()}: Bias for {op.TypeName} must be INT32_QUANTIZED";
        else if (b.Quantization.IsQuantized)
        {
            var (ws, bs) = (w.Quantization.Scales, b.Quantization.Scales);
            if (bs.Length != ws.Length)
                problem = $"The amount of biases scales({bs.Length}) is different from weightScales*inputScales({ws.Length})";
            for (var i = 0; problem is null && i < ws.Length; i++)
            {
                var expected = (double)x.Quantization.Scale * ws[i];
                if (Math.Abs(expected - bs[i]) > Math.Abs(expected * BiasScaleTolerance))
                    problem = FormattableString.Invariant($"Bias quantization scales are mismatched by more than {BiasScaleTolerance * 100:0}%: channel {i} bias scale {bs[i]:G6}, input × weight scale {expected:G6}");
            }
            if (problem is null && b.Quantization.ZeroPoints.Any(z => z != 0))
                problem = $"Bias for {op.TypeName} must have quantization parameters with zero point of 0: '{b.Name}' has {b.Quantization.ZeroPoint}";
        }
        if (problem is null) return false;
        ctx.Report(Artpec9Target.Bias, problem);
        return true;
    }

    private static void OverallScale(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Input(0) is not { Quantization.IsQuantized: true } x || op.Weights() is not { Quantization.IsQuantized: true } w
            || op.Output(0) is not { Quantization.IsQuantized: true } o) return;
        var ratios = w.Quantization.Scales.Select(s => (double)x.Quantization.Scale * s / o.Quantization.Scale).ToList();
        var (min, max) = (ratios.Min(), ratios.Max());
        if (min < 0 || max >= MaxOverallScale)
            ctx.Report(Artpec9Target.OverallScale, $"Overall scale (of the input * weights / output) should be in the range (2^-32, 65536): I*W/O ranges {min:G4}..{max:G4}");
    }

    private static void DepthToSpace(OpContext ctx)
    {
        var op = ctx.Op;
        var block = op.Attr<BlockAttributes>()?.BlockSize ?? 0;
        if (block != DepthToSpaceBlock)
            ctx.Report(Artpec9Target.DepthToSpace, $"Only block size of {DepthToSpaceBlock} is supported: block size {block}");
        else if (Fm(ctx, op.Input(0)) is { } x && x.C % (block * block) != 0)
            ctx.Report(Artpec9Target.DepthToSpace, $"Number of channels of input must be an exact multiple of the square of the block size: {x.C} channels, block {block}");
    }

    private static void MaxPool(OpContext ctx)
    {
        if (ctx.Op.Attributes is not PoolAttributes p || Fm(ctx, ctx.Op.Input(0)) is not { } x) return;
        var (fh, fw) = p.IsGlobal ? ((int)x.H, (int)x.W) : (p.FilterH, p.FilterW);
        var pad = p.Padding;
        var config = $"pool {fh}×{fw} stride {p.StrideH},{p.StrideW} padding ({pad.Top},{pad.Bottom},{pad.Left},{pad.Right}) on {x.H}×{x.W} input";
        string? problem = null;
        if (fh != fw) problem = "the pool must be square";
        else if (x.H < fh || x.W < fw) problem = "Input size must not be smaller than the pooling size";
        else if (p.StrideH == 2 && p.StrideW == 2) problem = MaxPoolStride2(fh, pad, x);
        else if (p.StrideH == 1 && p.StrideW == 1)
        {
            var limit = pad.IsZero ? MaxPoolStride1Valid : MaxPoolStride1Same;
            if (fh > limit) problem = $"Max pooling with stride 1 must be VALID with size <= {MaxPoolStride1Valid} or SAME with size <= {MaxPoolStride1Same}";
        }
        else problem = "Unsupported stride for max pooling - must be 1,1 or 2,2";
        if (problem is not null) ctx.Report(Artpec9Target.MaxPool, $"{problem}: {config}");
    }

    /// <summary>Ethos-N's stride-2 allow-list; the padded form is exactly (0,1,0,1), what TFLite SAME gives when it pads.</summary>
    private static string? MaxPoolStride2(int size, Padding2D pad, Nhwc x)
    {
        var padded = pad is { Top: 0, Bottom: 1, Left: 0, Right: 1 };
        if (!pad.IsZero && !padded) return "Unsupported configuration in Max pooling with stride 2";
        bool Odd(long v) => v % 2 != 0;
        switch (size)
        {
            case 1 when !padded: return null;
            case 2 when !padded && (Odd(x.H) || Odd(x.W)): return "Max pooling 2x2_2_2 with no padding: input sizes must be even";
            case 2 when padded && (!Odd(x.H) || !Odd(x.W)): return "Max pooling 2x2_2_2 with padding: input sizes must be odd";
            case 2: return null;
            case 3 when x.W > MaxPool3x3MaxWidth: return $"Max pooling 3x3_2_2: maximum input width ({x.W}) exceeded ({MaxPool3x3MaxWidth})";
            case 3 when !padded && (!Odd(x.H) || !Odd(x.W)): return "Max pooling 3x3_2_2 with no padding: input sizes must be odd";
            case 3 when padded && (Odd(x.H) || Odd(x.W)): return "Max pooling 3x3_2_2 with padding: input sizes must be even";
            case 3: return null;
            default: return "Unsupported configuration in Max pooling with stride 2";
        }
    }

    private static void Mean(OpContext ctx)
    {
        var op = ctx.Op;
        var x = Fm(ctx, op.Input(0));
        if (op.Attr<ReduceAttributes>() is { KeepDims: false })
        {
            ctx.Report(Artpec9Target.MeanXy, $"The dimensions need to be preserved: MEAN of {(x is { } i ? i.ToString() : op.Input(0)?.Shape.ToString())} without keep_dims");
            return;
        }
        var axes = op.Attr<ReduceAttributes>()?.Axes?.Select(a => ctx.Graph.LogicalAxis(a, 4)).ToHashSet();
        var overHw = axes is not null && axes.SetEquals(['H', 'W']);
        if (x is not { } f || !overHw || f.H != f.W || !MeanSizes.Contains((int)f.H))
            ctx.Report(Artpec9Target.MeanXy, $"MeanXy is supported for 7x7 and 8x8 as HeightxWidth only: mean over axes [{(axes is null ? "non-constant" : string.Join(",", axes))}] of {(x is { } v ? v.ToString() : op.Input(0)?.Shape.ToString())}");
        else SameQuantization(ctx);
    }

    private static void Mul(OpContext ctx)
    {
        var op = ctx.Op;
        var constant = op.Inputs.FirstOrDefault(t => t is { IsConstant: true });
        var variable = op.Inputs.FirstOrDefault(t => t is { IsConstant: false });
        if (constant is null || variable is null)
        {
            ctx.Report(Artpec9Target.Mul, $"multiplies two run-time tensors {op.Input(0)?.Shape} × {op.Input(1)?.Shape}; only a constant operand is supported");
            return;
        }
        var channels = Fm(ctx, variable)?.C ?? variable.Shape.FromEnd(1);
        var d = constant.Shape.Dims;
        if (constant.Shape.Rank == 4 && d[0] == 1 && d[1] == 1 && d[2] == 1 && d[3] == channels) return;
        if (constant.Shape.ElementCount == 1)
        {
            if (!ScalarCoherent(constant, variable, op.Output(0)))
                ctx.Report(Artpec9Target.Mul, $"Quantization info for input, scalar and output are not coherent: scalar '{constant.Name}' changes the quantized values");
            return;
        }
        ctx.Report(Artpec9Target.Mul, $"constant '{constant.Name}' is {constant.Shape}; only 1×1×1×{channels} or a scalar is supported");
    }

    /// <summary>x·s becomes a ReinterpretQuantization when input scale·s is the output scale (within Arm NN's absolute tolerance).</summary>
    private static bool ScalarCoherent(Tensor scalar, Tensor input, Tensor? output) =>
        output is not null && ScalarValue(scalar) is { } value
        && Math.Abs(input.Quantization.Scale * value - output.Quantization.Scale) <= ScalarMulScaleTolerance;

    private static void Pad(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Attr<PadAttributes>()?.Paddings is not { Count: 4 } p)
        {
            ctx.Report(Artpec9Target.Pad, "Padding not supported: paddings are not constant 4-D");
            return;
        }
        var text = string.Join(", ", p.Select(x => $"({x.Before},{x.After})"));
        int n = 0, h = 1, w = 2, c = 3;
        if (ctx.Graph.Layout == TensorLayout.Nchw) (c, h, w) = (1, 2, 3);
        if (p[n] != (0, 0) || p[c] != (0, 0))
            ctx.Report(Artpec9Target.Pad, $"Padding not supported: pads {text}; only H and W may be padded");
        else if (new[] { p[h], p[w] }.Max(x => Math.Max(x.Before, x.After)) is var most && most > MaxPadding)
            ctx.Report(Artpec9Target.Pad, $"Padding not supported: pads {text}; at most {MaxPadding} per side");
        else if (op.Kind == OpKind.PadV2 && op.Input(2) is { } value && !IsZeroPoint(value))
            ctx.Report(Artpec9Target.Pad, $"Padding not supported: constant value '{value.Name}' is not zero");
        else if (op.Input(0) is { } x && op.Output(0) is { } o && !x.Quantization.SameAs(o.Quantization))
            ctx.Report(Artpec9Target.Pad, $"Padding not supported: input quantization ({x.Quantization}) differs from output ({o.Quantization})");
    }

    private static bool IsZeroPoint(Tensor t)
    {
        if (t.Data.IsEmpty) return false;
        long q = t.Type switch { DataType.Int8 => (sbyte)t.Data.Span[0], DataType.UInt8 => t.Data.Span[0], _ => long.MinValue };
        return q == t.Quantization.ZeroPoint;
    }

    private static void Relu(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Output(0) is not { Quantization.IsQuantized: true } o) return;
        var (qmin, qmax) = o.Type == DataType.UInt8 ? (0L, 255L) : (-128L, 127L);
        long Q(double real) => o.Quantization.ZeroPoint + (long)Math.Round(real / o.Quantization.Scale);
        var (lower, upper) = op.Kind switch
        {
            OpKind.Relu6 => (Math.Max(qmin, Q(0)), Math.Min(qmax, Q(6))),
            OpKind.ReluN1To1 => (Math.Max(qmin, Q(-1)), Math.Min(qmax, Q(1))),
            _ => (Math.Max(qmin, Q(0)), qmax),
        };
        if (lower > upper)
            ctx.Report(Artpec9Target.ReluBounds, $"Relu has lower bound > upper bound: quantized bounds {lower} > {upper} (output {o.Quantization})");
        else if (op.Kind is OpKind.Relu or OpKind.Relu6) SameQuantization(ctx);
    }

    private static void SameQuantization(OpContext ctx)
    {
        if (ctx.Op.Input(0) is { } x && ctx.Op.Output(0) is { } o && !x.Quantization.SameAs(o.Quantization))
            ctx.Report(Artpec9Target.SameQuantization, $"{ctx.Op.TypeName} changes quantization: input {x.Quantization}, output {o.Quantization}");
    }

    private static void Requantize(OpContext ctx)
    {
        if (ctx.Op.Input(0) is { } x && ctx.Op.Output(0) is { } o && o.Quantization.Scale <= x.Quantization.Scale / RequantizeRatio)
            ctx.Report(Artpec9Target.Requantize, $"Output scale must be bigger than input scale / {RequantizeRatio}: output {o.Quantization.Scale:G6}, input {x.Quantization.Scale:G6}");
    }

    private static void Resize(OpContext ctx)
    {
        var op = ctx.Op;
        if (Fm(ctx, op.Input(0)) is not { } x || Fm(ctx, op.Output(0)) is not { } o) return;
        static bool Ok(long n, long m) => m == 2 * n || m == 2 * n - 1;
        if (!Ok(x.H, o.H))
            ctx.Report(Artpec9Target.ResizeSize, $"Requested height isn't supported: {x.H} → {o.H}; must be {2 * x.H} or {2 * x.H - 1}");
        else if (!Ok(x.W, o.W))
            ctx.Report(Artpec9Target.ResizeSize, $"Requested width isn't supported: {x.W} → {o.W}; must be {2 * x.W} or {2 * x.W - 1}");
        else if (o.H % 2 != o.W % 2)
        {
            var bilinear = op.Attr<ResizeAttributes>() is { Mode: ResizeMode.Bilinear } r && (r.AlignCorners || r.HalfPixelCenters)
                ? " (with align_corners/half_pixel_centers)" : "";
            ctx.Report(Artpec9Target.ResizeAccuracy, $"Requested width and height have different parity, result might be inaccurate: output {o.H}×{o.W}{bilinear}");
        }
    }

    private static void FixedOutput(OpContext ctx, Rule rule, double scale, long int8Zp, long uint8Zp)
    {
        if (ctx.Op.Output(0) is not { } o) return;
        var zp = o.Type == DataType.UInt8 ? uint8Zp : int8Zp;
        if (Math.Abs(o.Quantization.Scale - scale) > 1e-9 || o.Quantization.ZeroPoint != zp)
            ctx.Report(rule, $"Provided outputInfo is incorrect: output {o.Quantization}; must be scale {scale:G6} zp {zp}");
    }

    private static void Split(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Attr<AxisAttributes>() is not { } a || ArtpecTensors.Data(op) is not { Shape.Rank: 4 } x) return;
        if (ArtpecTensors.Normalize(a.Axis, 4) != ctx.Graph.ChannelAxis()) return;
        var channels = op.Outputs.Select(t => Fm(ctx, t)?.C ?? 0).ToList();
        if (channels.Any(c => c % ChannelMultiple != 0))
            ctx.Report(Artpec9Target.SplitChannels, $"splitting {x.Shape} along channels into {string.Join(" + ", channels)}; every output must be a multiple of {ChannelMultiple} channels");
    }
}
