using System.Collections.Immutable;
using FluentAssertions;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Targets;

/// <summary>
/// ARTPEC-9 checks taken from the Ethos-N driver stack's code (25.03, 6834c82), each on the case its own tests
/// exercise: support_library/tests/ConvTests.cpp and TransposeConvTests.cpp (bias quantization),
/// armnn-ethos-n-backend/test/EthosNSupportTest.cpp IsAdditionSupported / IsMultiplicationSupported (constant
/// replacements), and the Arm NN backend checks around the support library (dilation, MEAN keep_dims, FC batch).
/// </summary>
public class Artpec9SupportLibraryTests
{
    private static readonly Artpec9Target T = new();
    private static readonly Quantization Act = Quantization.PerTensor(1f / 32, 0);

    private static Tensor BiasOf(GraphBuilder b, string op) => b.Main.Tensors.Single(t => t.Name == op + "/bias");

    private static Quantization Scaled(Quantization q, double factor, long zeroPoint = 0) =>
        new(q.Scales.Select(s => (float)(s * factor)).ToImmutableArray(), Enumerable.Repeat(zeroPoint, q.Scales.Length).ToImmutableArray(), q.Axis);

    [Fact]
    public void Bias_needs_zero_point_0_and_input_times_weight_scale_within_arm_nns_1_percent()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 16);
        b.Conv2D(x, 16, 3, 3, name: "exact", perChannel: true);
        b.Conv2D(x, 16, 3, 3, name: "close", perChannel: true);
        b.Conv2D(x, 16, 3, 3, name: "off", perChannel: true);
        b.DepthwiseConv2D(x, 3, 3, name: "dw_zp", perChannel: true);
        b.TransposeConv(x, 16, 3, 2, name: "tconv_off");
        b.FullyConnected(b.Input("v", 1, 64), 16, name: "fc_off");
        BiasOf(b, "close").Quantization = Scaled(BiasOf(b, "close").Quantization, 1.005);
        BiasOf(b, "off").Quantization = Scaled(BiasOf(b, "off").Quantization, 1.02);
        BiasOf(b, "dw_zp").Quantization = Scaled(BiasOf(b, "dw_zp").Quantization, 1, zeroPoint: 1);
        BiasOf(b, "tconv_off").Quantization = Scaled(BiasOf(b, "tconv_off").Quantization, 0.5);
        BiasOf(b, "fc_off").Quantization = Scaled(BiasOf(b, "fc_off").Quantization, 2);
        var r = T.Run(b);

        r.Op("exact").OnNpu();
        r.Op("close").OnNpu();
        r.Op("off").OffNpuBy("A9-BIAS", "Bias quantization scales are mismatched by more than 1%: channel 0");
        r.Op("dw_zp").OffNpuBy("A9-BIAS", "must have quantization parameters with zero point of 0");
        r.Op("tconv_off").OffNpuBy("A9-BIAS", "Bias quantization scales are mismatched by more than 1%");
        r.Op("fc_off").OffNpuBy("A9-BIAS", "Bias quantization scales are mismatched by more than 1%");
    }

    [Fact]
    public void Dilated_convolutions_are_refused_by_arm_nn()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 16, 16, 16);
        b.Conv2D(x, 16, 3, 3, name: "dilated", dilation: 2);
        b.Conv2D(x, 16, 3, 3, name: "plain");
        var dw = b.DepthwiseConv2D(x, 3, 3, padding: PaddingKind.Valid, name: "dw_dilated");
        b.Patch(dw, a => ((ConvAttributes)a!) with { DilationH = 2, DilationW = 2 });
        b.Main.Tensors.Single(t => t.Name == "dw_dilated").Shape = new Shape(1, 12, 12, 16);
        var r = T.Run(b);
        r.Op("dilated").OffNpuBy("A9-DILATION", "Dilation not supported: dilation 2×2");
        r.Op("dw_dilated").OffNpuBy("A9-DILATION", "Dilation not supported");
        r.Op("plain").OnNpu();
    }

    [Fact]
    public void Fully_connected_needs_batch_1_as_arm_nn_flattens_it()
    {
        var b = new GraphBuilder();
        b.FullyConnected(b.Input("one", 1, 64), 16, name: "fc1");
        b.FullyConnected(b.Input("two", 2, 64), 16, name: "fc2");
        var r = T.Run(b);
        r.Op("fc1").OnNpu();
        r.Op("fc2").OffNpuBy("A9-BATCH", "Batch size must be 1: FULLY_CONNECTED reads 'two' [2×64] as 2 rows of 64");
    }

    [Fact]
    public void Mean_must_keep_its_dimensions()
    {
        var b = new GraphBuilder();
        b.Mean(b.Input("kept", 1, 7, 7, 16), [1, 2], keepDims: true, name: "keep");
        b.Mean(b.Input("dropped", 1, 7, 7, 16), [1, 2], keepDims: false, name: "drop");
        var r = T.Run(b);
        r.Op("keep").OnNpu();
        r.Op("drop").OffNpuBy("A9-MEAN", "The dimensions need to be preserved");
    }

    [Fact]
    public void Add_of_a_constant_1x1x1xC_or_scalar_is_replaced_by_arm_nn_and_stays_on_the_dlpu()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 16);
        var perChannel = b.Constant("k", DataType.Int8, [1, 1, 1, 16], new byte[16], Quantization.PerTensor(0.5f, 0));
        b.Apply(OpKind.Add, "per_c", [x, perChannel], [1, 8, 8, 16], new ElementwiseAttributes(FusedActivation.None));
        // Upstream: input scale 100000, output 1 → "Couldn't find valid weight scale" (output/input < 1/255).
        b.Apply(OpKind.Add, "per_c_narrow", [x, perChannel], [1, 8, 8, 16], new ElementwiseAttributes(FusedActivation.None), Quantization.PerTensor(1f / 32 / 300, 0));
        var zero = b.Constant("zero", DataType.Int8, [1], [0], Act);
        b.Apply(OpKind.Add, "scalar", [x, zero], [1, 8, 8, 16], new ElementwiseAttributes(FusedActivation.None));
        // Upstream: output scale 2.0 against input 1.0 → "Input and output quantization scales are not equal".
        b.Apply(OpKind.Add, "scalar_rescaled", [x, zero], [1, 8, 8, 16], new ElementwiseAttributes(FusedActivation.None), Quantization.PerTensor(2f / 32, 1));
        var one = b.Constant("one", DataType.Int8, [1], [32], Act); // real 1.0 = 32 steps of the input
        b.Apply(OpKind.Add, "plus_one", [x, one], [1, 8, 8, 16], new ElementwiseAttributes(FusedActivation.None), Quantization.PerTensor(1f / 32, -32));
        b.Apply(OpKind.Add, "plus_one_bad_zp", [x, one], [1, 8, 8, 16], new ElementwiseAttributes(FusedActivation.None));
        b.Binary(OpKind.Add, x, b.Input("runtime", 1, 1, 1, 16), "runtime_broadcast");
        var r = T.Run(b);

        r.Op("per_c").OnNpu();
        r.Op("per_c_narrow").OffNpuBy("A9-ADD", "Couldn't find valid weight scale");
        r.Op("scalar").OnNpu();
        r.Op("scalar_rescaled").OffNpuBy("A9-ADD", "Input and output quantization scales are not equal");
        r.Op("plus_one").OnNpu();
        r.Op("plus_one_bad_zp").OffNpuBy("A9-ADD", "Quantization info for input, scalar and output are not coherent");
        r.Op("runtime_broadcast").OffNpuBy("A9-ADD", "Cannot stretch along the requested dimensions");
    }

    [Fact]
    public void Mul_by_a_scalar_uses_arm_nns_absolute_scale_tolerance()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 16);
        var two = b.Constant("two", DataType.Int8, [1], [4], Quantization.PerTensor(0.5f, 0)); // real 2.0
        // 1/32 · 2 = 0.0625; 0.065 is within 0.004 (and differs in zero point: the replacement does not compare them).
        b.Apply(OpKind.Mul, "near", [x, two], [1, 8, 8, 16], q: Quantization.PerTensor(0.065f, 3));
        b.Apply(OpKind.Mul, "far", [x, two], [1, 8, 8, 16], q: Quantization.PerTensor(0.07f, 0));
        var r = T.Run(b);
        r.Op("near").OnNpu();
        r.Op("far").OffNpuBy("A9-MUL", "Quantization info for input, scalar and output are not coherent");
    }
}
