using System.Collections.Immutable;

namespace NpuAdvisor.Model;

/// <summary>
/// Builds NHWC graphs in memory: the sample model, tiny models for rule tests, rewrites. Shapes are
/// computed the way TFLite computes them; constant data is deterministic (seeded), so a graph built
/// twice is byte-identical once written. Activations default to int8 per-tensor.
/// </summary>
public sealed class GraphBuilder
{
    private readonly Subgraph _main = new() { Index = 0, Name = "main" };
    private readonly Random _random;
    private int _unnamed;

    public DataType ActivationType { get; set; } = DataType.Int8;
    public Quantization ActivationQuantization { get; set; } = Quantization.PerTensor(1f / 32, 0);
    public float WeightScale { get; set; } = 0.01f;

    /// <summary>Share of weight values written as exact zeros (for sparsity findings).</summary>
    public double WeightSparsity { get; set; }

    public string Description { get; set; } = "npu-advisor GraphBuilder";

    public GraphBuilder(int seed = 1) => _random = new Random(seed);

    public Subgraph Main => _main;

    public Tensor Tensor(string? name, DataType type, Shape shape, Quantization? q = null, ReadOnlyMemory<byte> data = default)
    {
        var t = new Tensor
        {
            Index = _main.Tensors.Count,
            Name = name ?? $"t{_unnamed++}",
            Type = type,
            Shape = shape,
            Quantization = q ?? Quantization.None,
            Data = data,
            IsConstant = !data.IsEmpty,
        };
        _main.Tensors.Add(t);
        return t;
    }

    /// <summary>An activation tensor of the builder's activation type and quantization.</summary>
    public Tensor Activation(string? name, params long[] dims) =>
        Tensor(name, ActivationType, new Shape(dims), ActivationType.IsFloat() ? Quantization.None : ActivationQuantization);

    public Tensor Input(string name, params long[] dims)
    {
        var t = Activation(name, dims);
        _main.Inputs.Add(t);
        return t;
    }

    public void Output(Tensor t) => _main.Outputs.Add(t);

    public Tensor Constant(string name, DataType type, long[] dims, byte[] data, Quantization? q = null) =>
        Tensor(name, type, new Shape(dims), q, data);

    public Tensor Int32Constant(string name, params int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), values[i]);
        return Constant(name, DataType.Int32, [values.Length], bytes);
    }

    /// <summary>Deterministic weights: int8 when activations are integer, float32 otherwise.</summary>
    public Tensor Weights(string name, long[] dims, bool perChannel = false, int channelAxis = 0)
    {
        var n = dims.Aggregate(1L, (a, b) => a * b);
        if (ActivationType.IsFloat())
        {
            var f = new byte[n * 4];
            for (var i = 0; i < n; i++)
                BitConverter.TryWriteBytes(f.AsSpan(i * 4), _random.NextDouble() < WeightSparsity ? 0f : (float)(_random.NextDouble() - 0.5));
            return Constant(name, DataType.Float32, dims, f);
        }
        var bytes = new byte[n];
        for (var i = 0; i < n; i++)
        {
            var v = _random.NextDouble() < WeightSparsity ? 0 : _random.Next(1, 128) * (_random.Next(2) == 0 ? -1 : 1);
            bytes[i] = (byte)(sbyte)v;
        }
        var q = perChannel
            ? Quantization.PerAxis(Enumerable.Range(0, (int)dims[channelAxis]).Select(i => WeightScale * (1 + i % 4) / 4), Enumerable.Repeat(0L, (int)dims[channelAxis]), channelAxis)
            : Quantization.PerTensor(WeightScale, 0);
        return Constant(name, DataType.Int8, dims, bytes, q);
    }

    private Tensor? Bias(string name, int channels, Tensor input, Tensor weights)
    {
        if (ActivationType.IsFloat())
            return Constant(name, DataType.Float32, [channels], new byte[channels * 4]);
        var scales = weights.Quantization.Scales.Select(s => input.Quantization.Scale * s).ToImmutableArray();
        var q = new Quantization(scales, Enumerable.Repeat(0L, scales.Length).ToImmutableArray(), 0);
        var data = new byte[channels * 4];
        for (var i = 0; i < channels; i++) BitConverter.TryWriteBytes(data.AsSpan(i * 4), _random.Next(-256, 256));
        return Constant(name, DataType.Int32, [channels], data, q);
    }

    public Operator Op(OpKind kind, IReadOnlyList<Tensor?> inputs, IReadOnlyList<Tensor> outputs, OpAttributes? attributes = null, string? customCode = null)
    {
        var op = new Operator
        {
            Index = _main.Operators.Count,
            SubgraphIndex = 0,
            Kind = kind,
            SourceType = kind == OpKind.Custom ? "CUSTOM:" + customCode : OpKindNames.Of(kind),
            CustomCode = customCode,
            Name = outputs.Count > 0 ? outputs[0].Name : $"op{_main.Operators.Count}",
            Inputs = inputs,
            Outputs = outputs,
            Attributes = attributes,
        };
        _main.Operators.Add(op);
        return op;
    }

    public static (long Out, int Before, int After) SpatialOut(long input, int kernel, int stride, int dilation, PaddingKind padding)
    {
        var effective = (long)(kernel - 1) * dilation + 1;
        if (padding == PaddingKind.Valid) return ((input - effective + stride) / stride, 0, 0);
        var output = (input + stride - 1) / stride;
        var total = Math.Max(0, (output - 1) * stride + effective - input);
        return (output, (int)(total / 2), (int)(total - total / 2));
    }

    private static Nhwc Fm(Tensor t) => FeatureMaps.Logical(TensorLayout.Nhwc, t) ?? throw new ArgumentException($"{t.Name} is not 4-D");

    public Tensor Conv2D(Tensor x, int filters, int kernelH, int kernelW, int stride = 1, PaddingKind padding = PaddingKind.Same,
        FusedActivation activation = FusedActivation.None, string? name = null, bool perChannel = false, int dilation = 1, int strideW = 0)
    {
        var f = Fm(x);
        var sw = strideW == 0 ? stride : strideW;
        var (oh, pt, pb) = SpatialOut(f.H, kernelH, stride, dilation, padding);
        var (ow, pl, pr) = SpatialOut(f.W, kernelW, sw, dilation, padding);
        name ??= $"conv{_main.Operators.Count}";
        var w = Weights(name + "/weights", [filters, kernelH, kernelW, f.C], perChannel, 0);
        var b = Bias(name + "/bias", filters, x, w);
        var y = Activation(name, f.N, oh, ow, filters);
        Op(OpKind.Conv2D, [x, w, b], [y], new ConvAttributes(kernelH, kernelW, stride, sw, dilation, dilation,
            new Padding2D(padding, pt, pb, pl, pr), activation));
        return y;
    }

    public Tensor DepthwiseConv2D(Tensor x, int kernelH, int kernelW, int stride = 1, PaddingKind padding = PaddingKind.Same,
        FusedActivation activation = FusedActivation.None, string? name = null, int depthMultiplier = 1, bool perChannel = false)
    {
        var f = Fm(x);
        var (oh, pt, pb) = SpatialOut(f.H, kernelH, stride, 1, padding);
        var (ow, pl, pr) = SpatialOut(f.W, kernelW, stride, 1, padding);
        var outC = f.C * depthMultiplier;
        name ??= $"dwconv{_main.Operators.Count}";
        var w = Weights(name + "/weights", [1, kernelH, kernelW, outC], perChannel, 3);
        var b = Bias(name + "/bias", (int)outC, x, w);
        var y = Activation(name, f.N, oh, ow, outC);
        Op(OpKind.DepthwiseConv2D, [x, w, b], [y], new ConvAttributes(kernelH, kernelW, stride, stride, 1, 1,
            new Padding2D(padding, pt, pb, pl, pr), activation, depthMultiplier, Groups: (int)f.C));
        return y;
    }

    /// <summary>TRANSPOSE_CONV. The IR puts the data input first: [input, weights, bias].</summary>
    public Tensor TransposeConv(Tensor x, int filters, int kernel, int stride, PaddingKind padding = PaddingKind.Same, string? name = null)
    {
        var f = Fm(x);
        long oh = padding == PaddingKind.Same ? f.H * stride : (f.H - 1) * stride + kernel;
        long ow = padding == PaddingKind.Same ? f.W * stride : (f.W - 1) * stride + kernel;
        name ??= $"tconv{_main.Operators.Count}";
        var w = Weights(name + "/weights", [filters, kernel, kernel, f.C]);
        var b = Bias(name + "/bias", filters, x, w);
        var y = Activation(name, f.N, oh, ow, filters);
        var total = Math.Max(0, (f.H - 1) * stride + kernel - oh);
        Op(OpKind.TransposeConv, [x, w, b], [y], new ConvAttributes(kernel, kernel, stride, stride, 1, 1,
            new Padding2D(padding, (int)(total / 2), (int)(total - total / 2), (int)(total / 2), (int)(total - total / 2)), FusedActivation.None));
        return y;
    }

    public Tensor FullyConnected(Tensor x, int units, FusedActivation activation = FusedActivation.None, string? name = null)
    {
        var inF = x.Shape.FromEnd(1);
        var batch = (x.Shape.ElementCount ?? inF) / Math.Max(1, inF);
        name ??= $"fc{_main.Operators.Count}";
        var w = Weights(name + "/weights", [units, inF]);
        var b = Bias(name + "/bias", units, x, w);
        var y = Activation(name, batch, units);
        Op(OpKind.FullyConnected, [x, w, b], [y], new FullyConnectedAttributes(activation, false));
        return y;
    }

    public Tensor Pool(OpKind kind, Tensor x, int filter, int stride, PaddingKind padding = PaddingKind.Valid, string? name = null,
        FusedActivation activation = FusedActivation.None, int filterW = 0)
    {
        var f = Fm(x);
        var fw = filterW == 0 ? filter : filterW;
        var (oh, pt, pb) = SpatialOut(f.H, filter, stride, 1, padding);
        var (ow, pl, pr) = SpatialOut(f.W, fw, stride, 1, padding);
        var y = Activation(name ?? $"pool{_main.Operators.Count}", f.N, oh, ow, f.C);
        Op(kind, [x], [y], new PoolAttributes(filter, fw, stride, stride, new Padding2D(padding, pt, pb, pl, pr), activation));
        return y;
    }

    /// <summary>A standalone unary op (RELU, RELU6, LOGISTIC, TANH, HARD_SWISH…) with the input's shape.</summary>
    public Tensor Unary(OpKind kind, Tensor x, string? name = null, OpAttributes? attributes = null, Quantization? outputQuantization = null)
    {
        var y = Tensor(name ?? $"{OpKindNames.Of(kind).ToLowerInvariant()}{_main.Operators.Count}", x.Type, x.Shape,
            x.Type.IsFloat() ? Quantization.None : outputQuantization ?? x.Quantization);
        Op(kind, [x], [y], attributes);
        return y;
    }

    /// <summary>ADD/SUB/MUL/DIV/MAXIMUM… with NumPy broadcasting of the two shapes.</summary>
    public Tensor Binary(OpKind kind, Tensor a, Tensor b, string? name = null, FusedActivation activation = FusedActivation.None)
    {
        var rank = Math.Max(a.Shape.Rank, b.Shape.Rank);
        var dims = new long[rank];
        for (var i = 1; i <= rank; i++)
        {
            long da = i <= a.Shape.Rank ? a.Shape.FromEnd(i) : 1, db = i <= b.Shape.Rank ? b.Shape.FromEnd(i) : 1;
            dims[rank - i] = Math.Max(da, db);
        }
        var y = Activation(name ?? $"{OpKindNames.Of(kind).ToLowerInvariant()}{_main.Operators.Count}", dims);
        Op(kind, [a, b], [y], new ElementwiseAttributes(activation));
        return y;
    }

    public Tensor Pad(Tensor x, int top, int bottom, int left, int right, string? name = null)
    {
        var f = Fm(x);
        var paddings = Int32Constant((name ?? "pad") + "/paddings", 0, 0, top, bottom, left, right, 0, 0);
        var y = Activation(name ?? $"pad{_main.Operators.Count}", f.N, f.H + top + bottom, f.W + left + right, f.C);
        Op(OpKind.Pad, [x, paddings], [y], new PadAttributes([(0, 0), (top, bottom), (left, right), (0, 0)]));
        return y;
    }

    public Tensor Concat(IReadOnlyList<Tensor> xs, int axis = 3, string? name = null)
    {
        var dims = xs[0].Shape.Dims.ToArray();
        var a = axis < 0 ? axis + dims.Length : axis;
        dims[a] = xs.Sum(t => t.Shape[a]);
        var y = Activation(name ?? $"concat{_main.Operators.Count}", dims);
        Op(OpKind.Concatenation, xs.ToArray(), [y], new AxisAttributes(axis, Count: xs.Count));
        return y;
    }

    public Tensor Reshape(Tensor x, long[] dims, string? name = null)
    {
        var shape = Int32Constant((name ?? "reshape") + "/shape", dims.Select(d => (int)d).ToArray());
        var y = Tensor(name ?? $"reshape{_main.Operators.Count}", x.Type, new Shape(dims), x.Quantization);
        Op(OpKind.Reshape, [x, shape], [y], new ReshapeAttributes(dims));
        return y;
    }

    public Tensor Mean(Tensor x, int[] axes, bool keepDims = true, string? name = null)
    {
        var f = Fm(x);
        var y = Activation(name ?? $"mean{_main.Operators.Count}", keepDims ? [f.N, 1, 1, f.C] : [f.N, f.C]);
        Op(OpKind.Mean, [x, Int32Constant((name ?? "mean") + "/axes", axes)], [y], new ReduceAttributes(axes, keepDims));
        return y;
    }

    public Tensor Resize(Tensor x, int outH, int outW, ResizeMode mode = ResizeMode.NearestNeighbor, string? name = null)
    {
        var f = Fm(x);
        var y = Activation(name ?? $"resize{_main.Operators.Count}", f.N, outH, outW, f.C);
        Op(mode == ResizeMode.Bilinear ? OpKind.ResizeBilinear : OpKind.ResizeNearestNeighbor,
            [x, Int32Constant((name ?? "resize") + "/size", outH, outW)], [y], new ResizeAttributes(mode, false, false, outH, outW));
        return y;
    }

    public Tensor Softmax(Tensor x, string? name = null)
    {
        var y = Unary(OpKind.Softmax, x, name, new SoftmaxAttributes(1f), x.Type.IsFloat() ? null : Quantization.PerTensor(1f / 256, -128));
        return y;
    }

    public Tensor[] Split(Tensor x, int parts, int axis = 3, string? name = null)
    {
        var dims = x.Shape.Dims.ToArray();
        var a = axis < 0 ? axis + dims.Length : axis;
        dims[a] /= parts;
        var outs = Enumerable.Range(0, parts).Select(i => Activation($"{name ?? "split"}:{i}", dims)).ToArray();
        var axisTensor = Int32Constant((name ?? "split") + "/axis", axis);
        Op(OpKind.Split, [x, axisTensor], outs, new AxisAttributes(axis, Count: parts)); // IR order: data input first
        return outs;
    }

    public Tensor Custom(string code, Tensor x, long[] outDims, string? name = null)
    {
        var y = Activation(name ?? code, outDims);
        Op(OpKind.Custom, [x], [y], null, code);
        return y;
    }

    public Graph Build(string format = "tflite")
    {
        _main.Link();
        var g = new Graph { Format = format, Description = Description, Version = 3, Layout = TensorLayout.Nhwc };
        g.Subgraphs.Add(_main);
        return g;
    }
}
