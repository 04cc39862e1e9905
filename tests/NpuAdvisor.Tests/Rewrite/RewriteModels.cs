using System.Runtime.InteropServices;
using NpuAdvisor.Model;

namespace NpuAdvisor.Tests.Rewrite;

/// <summary>Small models built for one pass each: the rewritten op's output is a model output, so any difference shows.</summary>
public static class RewriteModels
{
    public static Quantization Q(float scale, long zp) => Quantization.PerTensor(scale, zp);

    private static GraphBuilder Int8(int seed) => new(seed) { ActivationQuantization = Q(1f / 16, -5), WeightScale = 0.02f };

    private static GraphBuilder Float(int seed) => new(seed) { ActivationType = DataType.Float32, ActivationQuantization = Quantization.None };

    /// <summary>PAD equal to SAME's amounts in front of a VALID conv (int8 zero point <paramref name="zeroPoint"/>) and a VALID stride-2 depthwise conv.</summary>
    public static Graph PadBeforeConv(bool quantized, long zeroPoint = -5)
    {
        var b = quantized ? Int8(11) : Float(11);
        if (quantized) b.ActivationQuantization = Q(1f / 16, zeroPoint);
        var x = b.Input("input", 1, 12, 12, 4);
        var p = b.Pad(x, 1, 1, 1, 1, "pad_a");
        var y = b.Conv2D(p, 8, 3, 3, padding: PaddingKind.Valid, name: "conv_valid", perChannel: quantized);
        var p2 = b.Pad(y, 0, 1, 0, 1, "pad_b");
        var z = b.DepthwiseConv2D(p2, 3, 3, stride: 2, padding: PaddingKind.Valid, name: "dw_valid_s2");
        b.Output(z);
        return b.Build();
    }

    /// <summary>PAD 1,1 in front of a stride-2 3×3 conv: SAME would pad 0,1 there, so the pad cannot fold into TFLite's padding.</summary>
    public static Graph PadNotSame()
    {
        var b = Int8(12);
        var x = b.Input("input", 1, 12, 12, 4);
        var p = b.Pad(x, 1, 1, 1, 1, "pad");
        b.Output(b.Conv2D(p, 8, 3, 3, stride: 2, padding: PaddingKind.Valid, name: "conv_s2"));
        return b.Build();
    }

    /// <summary>
    /// Standalone RELU after a conv, RELU (or RELU_N1_TO_1, which Arm NN 20.08 cannot parse) after an add and RELU6 after a
    /// fully-connected layer, each keeping its input's quantization.
    /// </summary>
    public static Graph StandaloneActivations(bool quantized, OpKind afterAdd = OpKind.Relu)
    {
        var b = quantized ? Int8(13) : Float(13);
        var x = b.Input("input", 1, 8, 8, 3);
        var c = b.Conv2D(x, 6, 3, 3, name: "conv");
        var r = b.Unary(OpKind.Relu, c, "relu");
        var a = b.Binary(OpKind.Add, r, r, "add");
        var n = b.Unary(afterAdd, a, "add_activation");
        var flat = b.Reshape(n, [1, 8 * 8 * 6], "flatten");
        var f = b.FullyConnected(flat, 5, name: "fc");
        b.Output(b.Unary(OpKind.Relu6, f, "relu6"));
        return b.Build();
    }

    /// <summary>
    /// A RELU whose output scale differs from its input's: it requantizes, so fusing it is not exact.
    /// <paramref name="forceFused"/> builds what a naive fusion would give (the conv writes the RELU's quantization itself).
    /// </summary>
    public static Graph RequantizingRelu(bool forceFused = false)
    {
        var b = Int8(14);
        var x = b.Input("input", 1, 8, 8, 3);
        if (forceFused)
        {
            b.ActivationQuantization = Q(1f / 4, -128);
            b.Output(b.Conv2D(x, 6, 3, 3, name: "relu", activation: FusedActivation.Relu));
            return b.Build();
        }
        var c = b.Conv2D(x, 6, 3, 3, name: "conv");
        b.Output(b.Unary(OpKind.Relu, c, "relu", outputQuantization: Q(1f / 4, -128)));
        return b.Build();
    }

    /// <summary>RESHAPE to the same shape, a RESHAPE→RESHAPE chain, and DEQUANTIZE→QUANTIZE back to the same parameters.</summary>
    public static Graph NoOps()
    {
        var b = Int8(15);
        var x = b.Input("input", 1, 6, 6, 4);
        var c = b.Conv2D(x, 4, 3, 3, name: "conv");
        var same = b.Reshape(c, [1, 6, 6, 4], "reshape_same");
        var r1 = b.Reshape(same, [1, 36, 4], "reshape_a");
        var r2 = b.Reshape(r1, [1, 144], "reshape_b");
        var f = b.Tensor("dequantized", DataType.Float32, new Shape(1, 144));
        b.Op(OpKind.Dequantize, [r2], [f]);
        var q = b.Tensor("requantized", DataType.Int8, new Shape(1, 144), b.ActivationQuantization);
        b.Op(OpKind.Quantize, [f], [q]);
        b.Output(b.FullyConnected(q, 7, name: "fc"));
        return b.Build();
    }

    /// <summary>QUANTIZE→DEQUANTIZE of a float input: the pair rounds to the grid, so it must stay.</summary>
    public static Graph QuantizeDequantize()
    {
        var b = Float(16);
        var x = b.Input("input", 1, 16);
        var q = b.Tensor("quantized", DataType.Int8, new Shape(1, 16), Q(0.05f, 3));
        b.Op(OpKind.Quantize, [x], [q]);
        var y = b.Tensor("dequantized", DataType.Float32, new Shape(1, 16));
        b.Op(OpKind.Dequantize, [q], [y]);
        b.Output(b.FullyConnected(y, 4, name: "fc"));
        return b.Build();
    }

    /// <summary>Float16 conv weights widened by DEQUANTIZE at run time (as mediapipe stores them).</summary>
    public static Graph Float16Weights()
    {
        var b = Float(17);
        var x = b.Input("input", 1, 8, 8, 3);
        var y = b.Conv2D(x, 4, 3, 3, name: "conv");
        var conv = b.Main.Operators[^1];
        var w32 = conv.Inputs[1]!;
        var rng = new Random(17);
        var halves = Enumerable.Range(0, (int)w32.Shape.ElementCount!.Value).Select(_ => (Half)(rng.NextDouble() - 0.5)).ToArray();
        var w16 = b.Constant("conv/weights_fp16", DataType.Float16, [.. w32.Shape.Dims], MemoryMarshal.AsBytes(halves.AsSpan()).ToArray());
        w32.Data = default;
        w32.IsConstant = false;
        b.Op(OpKind.Dequantize, [w16], [w32]);
        // The DEQUANTIZE must precede the conv that reads its output.
        b.Main.Operators.Remove(conv);
        b.Main.Operators.Add(conv);
        b.Output(y);
        return b.Build();
    }

    /// <summary>A 10-filter conv (fused RELU) read only by a 3×3 conv: not a multiple of 4, 6 or 16 channels.</summary>
    public static Graph UnalignedConvPair(bool quantized)
    {
        var b = quantized ? Int8(18) : Float(18);
        var x = b.Input("input", 1, 10, 10, 3);
        var c = b.Conv2D(x, 10, 3, 3, name: "conv10", activation: FusedActivation.Relu, perChannel: quantized);
        b.Output(b.Conv2D(c, 8, 3, 3, name: "conv8", perChannel: quantized));
        return b.Build();
    }
}
