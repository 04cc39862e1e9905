using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using Xunit;

namespace NpuAdvisor.Tests.Tflite;

/// <summary>Typed attributes read from real models, checked against the architectures the files are known to hold.</summary>
public class TfliteAttributeTests
{
    private static Graph Load(string relative) => TfliteImporter.Load(SharedModels.PathOf("tflite/" + relative));

    [Fact]
    public void Mobilenet_v1_convolutions_carry_kernel_stride_and_tflite_same_padding()
    {
        using var g = Load("coral/mobilenet_v1_0.25_128_quant.tflite");
        var ops = g.Main.Operators;

        // 128×128 input, 3×3 stride 2 SAME → 64×64: TFLite pads the one extra row/column at the bottom/right.
        ops[0].Kind.Should().Be(OpKind.Conv2D);
        ops[0].Attr<ConvAttributes>().Should().Be(new ConvAttributes(3, 3, 2, 2, 1, 1, Padding2D.Same(0, 1, 0, 1), FusedActivation.Relu6));
        ops[1].Kind.Should().Be(OpKind.DepthwiseConv2D);
        ops[1].Attr<ConvAttributes>().Should().Be(new ConvAttributes(3, 3, 1, 1, 1, 1, Padding2D.Same(1, 1, 1, 1), FusedActivation.Relu6, DepthMultiplier: 1, Groups: 8));
        ops[2].Attr<ConvAttributes>()!.Padding.IsZero.Should().BeTrue("1×1 SAME convolutions pad nothing");

        var pool = ops.Single(o => o.Kind == OpKind.AveragePool2D).Attr<PoolAttributes>()!;
        (pool.FilterH, pool.FilterW, pool.Padding).Should().Be((4, 4, Padding2D.Valid));
        ops.Single(o => o.Kind == OpKind.Softmax).Attr<SoftmaxAttributes>()!.Beta.Should().Be(1f);
        ops.Single(o => o.Kind == OpKind.Reshape).Attr<ReshapeAttributes>()!.NewShape.Should().Equal(1, 1001);
        ops.Should().OnlyContain(o => o.Version == 1);
    }

    [Fact]
    public void Split_takes_its_data_input_first_and_its_axis_from_the_constant()
    {
        using var g = Load("coral/split_concat.tflite");
        var split = g.Main.Operators.Single(o => o.Kind == OpKind.Split);
        split.Input(0)!.Shape.Should().Be(new Shape(1, 8, 8, 6));
        split.Input(0)!.Producer!.Kind.Should().Be(OpKind.Concatenation);
        split.Input(1)!.IsConstant.Should().BeTrue();
        split.Attr<AxisAttributes>().Should().Be(new AxisAttributes(3, Count: 6));
        split.Outputs.Should().HaveCount(6);
        g.Main.Operators[0].Attr<AxisAttributes>().Should().Be(new AxisAttributes(3, FusedActivation.None, 3));
    }

    [Fact]
    public void Yolov5n_pads_resizes_slices_and_pools_from_constants()
    {
        using var g = Load("axis/yolov5n_artpec8_coco_640.tflite");
        var ops = g.Main.Operators;

        var firstPad = ops.First(o => o.Kind == OpKind.Pad);
        firstPad.Attr<PadAttributes>()!.Paddings.Should().Equal((0L, 0L), (2L, 2L), (2L, 2L), (0L, 0L));
        firstPad.Outputs[0].Shape.Should().Be(new Shape(1, 644, 644, 3));
        var stem = firstPad.Outputs[0].Consumers.Single();
        stem.Attr<ConvAttributes>().Should().Be(new ConvAttributes(6, 6, 2, 2, 1, 1, Padding2D.Valid, FusedActivation.Relu6));

        var sppf = ops.First(o => o.Kind == OpKind.MaxPool2D).Attr<PoolAttributes>();
        sppf.Should().Be(new PoolAttributes(5, 5, 1, 1, Padding2D.Same(2, 2, 2, 2), FusedActivation.None));

        ops.Where(o => o.Kind == OpKind.ResizeNearestNeighbor).Select(o => o.Attr<ResizeAttributes>())
            .Should().Equal(new ResizeAttributes(ResizeMode.NearestNeighbor, false, true, 40, 40), new ResizeAttributes(ResizeMode.NearestNeighbor, false, true, 80, 80));

        var slice = ops.First(o => o.Kind == OpKind.StridedSlice).Attr<StridedSliceAttributes>()!;
        (slice.BeginMask, slice.EndMask, slice.EllipsisMask, slice.NewAxisMask, slice.ShrinkAxisMask).Should().Be((7, 7, 0, 0, 0));
        slice.Begin.Should().HaveCount(4);
        slice.Strides.Should().Equal(1, 1, 1, 1);

        g.Properties["min_runtime_version"].Should().Be("2.3.0");
        g.Signatures.Should().ContainSingle().Which.Key.Should().Be("serving_default");
        g.Signatures[0].Inputs.Should().ContainSingle().Which.Tensor.Should().Be(g.Main.Inputs[0].Index);
        g.Signatures[0].Outputs.Should().ContainSingle().Which.Tensor.Should().Be(g.Main.Outputs[0].Index);
    }

    [Fact]
    public void Tf2_mobilenet_has_per_channel_weights_on_the_output_channel_axis_and_mean_axes()
    {
        using var g = Load("coral/tf2_mobilenet_v2_1.0_224_ptq.tflite");
        foreach (var op in g.AllOperators.Where(o => o.Kind is OpKind.Conv2D or OpKind.DepthwiseConv2D))
        {
            var w = op.Weights()!;
            w.Quantization.Kind.Should().Be(QuantizationKind.PerAxis);
            w.Quantization.Axis.Should().Be(op.Kind == OpKind.Conv2D ? 0 : 3, "TFLite quantizes OHWI conv weights on O and 1HWC depthwise weights on C");
            w.Quantization.Scales.Length.Should().Be((int)w.Shape[w.Quantization.Axis]);
            w.Quantization.ZeroPoints.Should().OnlyContain(z => z == 0);
        }
        var mean = g.AllOperators.Single(o => o.Kind == OpKind.Mean).Attr<ReduceAttributes>()!;
        mean.Axes.Should().Equal(1, 2);
        mean.KeepDims.Should().BeTrue();
        g.Scheme().Should().Be(QuantizationScheme.PerChannel);
    }

    [Fact]
    public void Keras_lstm_keeps_omitted_inputs_variables_and_intermediates()
    {
        using var g = Load("coral/keras_lstm_mnist_ptq.tflite");
        var lstm = g.Main.Operators.Single(o => o.Kind == OpKind.UnidirectionalSequenceLstm);
        lstm.Inputs.Should().HaveCount(24);
        // 24 inputs: x, 4 input and 4 recurrent weights, 3 peepholes, 4 biases, projection weight and bias, 2 states, 4 layer norms.
        Enumerable.Range(0, 24).Where(i => lstm.Inputs[i] is null).Should().Equal([9, 10, 11, 16, 17, 20, 21, 22, 23], "peepholes, projection and layer norm are omitted (-1)");
        lstm.Inputs[18]!.IsVariable.Should().BeTrue();
        lstm.Inputs[19]!.IsVariable.Should().BeTrue();
        lstm.Intermediates.Should().HaveCount(5);
        lstm.Inputs.Where(t => t is { IsVariable: true }).Select(t => t!.Type).Should().BeEquivalentTo([DataType.Int8, DataType.Int16]);
        var attr = lstm.Attr<LstmAttributes>()!;
        (attr.Activation, attr.CellClip, attr.ProjClip, attr.TimeMajor, attr.Bidirectional).Should().Be((FusedActivation.Tanh, 10f, 0f, false, false));
        g.Main.Operators.Single(o => o.Kind == OpKind.FullyConnected).Attr<FullyConnectedAttributes>()
            .Should().Be(new FullyConnectedAttributes(FusedActivation.None, false));
    }

    [Fact]
    public void Custom_ops_keep_their_code()
    {
        using var g = Load("mediapipe/selfie_segmentation.tflite");
        var custom = g.Main.Operators.Single(o => o.Kind == OpKind.Custom);
        custom.SourceType.Should().Be("CUSTOM:Convolution2DTransposeBias");
        custom.CustomCode.Should().Be("Convolution2DTransposeBias");
        custom.TypeName.Should().Be("CUSTOM:Convolution2DTransposeBias");

        using var tpu = Load("coral/mobilenet_v1_0.25_128_quant_edgetpu.tflite");
        tpu.Main.Operators.Should().ContainSingle().Which.SourceType.Should().Be("CUSTOM:edgetpu-custom-op");
    }

    [Fact]
    public void Sparse_weights_are_marked_and_reach_convolutions_through_densify_and_dequantize()
    {
        using var g = Load("mediapipe/face_detection_full_range_sparse.tflite");
        var sparse = g.Main.Tensors.Where(t => t.Sparsity is not null).ToList();
        sparse.Should().HaveCount(46);
        sparse.Should().OnlyContain(t => t.IsConstant && t.Type == DataType.Float16 && t.Sparsity!.DimensionFormats.Contains("SPARSE_CSR"));
        sparse.Should().OnlyContain(t => t.Consumers.Single().Kind == OpKind.Densify);
        g.Scheme().Should().Be(QuantizationScheme.Float16Weights);
    }

    [Fact]
    public void Every_shared_model_maps_its_ops_to_known_kinds()
    {
        foreach (var path in SharedModels.Entries("tflite").Select(e => e.GetProperty("path").GetString()!))
        {
            using var g = TfliteImporter.Load(SharedModels.PathOf(path));
            foreach (var op in g.AllOperators)
            {
                op.Kind.Should().NotBe(OpKind.Unknown, $"{path} {op}");
                if (op.Kind != OpKind.Custom) op.TypeName.Should().Be(op.SourceType, $"{path} {op}");
                op.Name.Should().Be(op.Outputs[0].Name);
            }
        }
    }
}
