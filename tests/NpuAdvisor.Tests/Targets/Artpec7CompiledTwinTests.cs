using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Targets;

/// <summary>
/// ARTPEC-7 facts read off Coral's own compiled twins in github google-coral/test_data (the ops left outside
/// edgetpu-custom-op are the ones the real compiler put on the CPU). Each test rebuilds the part of the model
/// that exercises the rule.
/// </summary>
public class Artpec7CompiledTwinTests
{
    private static readonly Artpec7Target T = new();

    [Fact]
    public void Tile_maps_as_in_deeplab_image_pooling()
    {
        // deeplab_mobilenet_edgetpu_slim_cityscapes_quant: AVERAGE_POOL 33×33 → 1×1, CONV 1×1, TILE to 33×33, CONCATENATION,
        // all inside edgetpu-custom-op.
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 33, 33, 128);
        var pooled = b.Conv2D(b.Input("p", 1, 1, 1, 64), 128, 1, 1, name: "image_pooling");
        var tiled = b.Apply(OpKind.Tile, "tile", [pooled, b.Int32Constant("multiples", 1, 33, 33, 1)], [1, 33, 33, 128]);
        b.Concat([x, tiled], name: "concat");
        var r = T.Run(b);
        r.Op("tile").OnNpu();
        r.Op("concat").OnNpu();
    }

    [Fact]
    public void Resize_upsampling_2x_maps_and_a_large_final_upsample_stays_on_the_cpu()
    {
        var b = new GraphBuilder();
        // MoveNet lightning FPN: 6→12, 12→24, 24→48 bilinear, all mapped in movenet_single_pose_lightning_ptq_edgetpu.
        var up = b.Resize(b.Input("fpn", 1, 6, 6, 64), 12, 12, ResizeMode.Bilinear, "up2x");
        b.Conv2D(up, 32, 3, 3, name: "after_up2x");
        // deeplab_mobilenet_edgetpu_slim_cityscapes_quant: 33×33×19 → 513×513×19 left on the CPU.
        var logits = b.Conv2D(b.Input("feat", 1, 33, 33, 32), 19, 1, 1, name: "logits");
        var same = b.Resize(logits, 33, 33, ResizeMode.Bilinear, "same_size");
        b.Resize(same, 513, 513, ResizeMode.Bilinear, "final_upsample");
        var r = T.Run(b);

        r.Op("up2x").OnNpu();
        r.Op("after_up2x").OnNpu();
        r.Op("same_size").OnNpu();
        var f = r.Op("final_upsample");
        f.OffNpuBy("A7-RESIZE-SIZE", "33×33 → 513×513 upsamples 15.55×15.55");
        f.CpuReason!.Message.Should().Contain("may keep it on the CPU").And.Contain("no exact limit is public");
        r.Op("logits").OnNpu();
    }

    [Fact]
    public void A_1x1_to_33x33_broadcast_resize_breaks_the_graph_as_in_deeplabv3_pascal()
    {
        // deeplabv3_mnv2_pascal_quant_edgetpu: the image-pooling RESIZE_BILINEAR 1×1×1×256 → 33×33×256 is the first op
        // outside edgetpu-custom-op; the CONCATENATION and convolutions after it run on the CPU too.
        var b = new GraphBuilder();
        var aspp = b.Input("aspp0", 1, 33, 33, 256);
        var pooled = b.Input("pooled", 1, 1, 1, 256);
        var head = b.Conv2D(pooled, 256, 1, 1, name: "image_pooling");
        var broadcast = b.Resize(head, 33, 33, ResizeMode.Bilinear, "broadcast");
        var joined = b.Concat([broadcast, aspp], name: "concat");
        b.Conv2D(joined, 256, 1, 1, name: "projection");
        var r = T.Run(b);
        r.Op("image_pooling").OnNpu();
        r.Op("broadcast").OffNpuBy("A7-RESIZE-SIZE", "upsamples 33×33");
        r.Op("concat").CpuReason!.Rule.Id.Should().Be("A7-SINGLE-SUBGRAPH");
        r.Op("projection").Placement.Should().Be(Placement.Cpu);
    }

    [Fact]
    public void An_int16_lstm_cell_state_maps_but_other_int16_data_does_not()
    {
        // keras_lstm_mnist_ptq_edgetpu: the full-integer LSTM (int16 cell state, an is_variable tensor) is inside edgetpu-custom-op.
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 28, 28);
        var state = b.Tensor("output_state", DataType.Int8, new Shape(1, 20), Quantization.PerTensor(1f / 128, 0));
        var cell = b.Tensor("cell_state", DataType.Int16, new Shape(1, 20), Quantization.PerTensor(1f / 2048, 0));
        state.IsVariable = cell.IsVariable = true;
        var inputs = new Tensor?[24];
        inputs[0] = x;
        inputs[18] = state;
        inputs[19] = cell;
        b.Apply(OpKind.UnidirectionalSequenceLstm, "lstm", inputs, [1, 28, 20], new LstmAttributes(FusedActivation.Tanh, 0, 0, false));
        var wide = b.Tensor("wide", DataType.Int16, new Shape(1, 28, 20), Quantization.PerTensor(1f / 2048, 0));
        b.Main.Inputs.Add(wide);
        b.Apply(OpKind.Reshape, "reshape16", [wide, b.Int32Constant("shape", 1, 560)], [1, 560]);
        var r = T.Run(b);
        r.Op("lstm").OnNpu();
        r.Op("reshape16").OffNpuBy("A7-DATA-TYPE", "input 'wide' is int16");
    }
}
