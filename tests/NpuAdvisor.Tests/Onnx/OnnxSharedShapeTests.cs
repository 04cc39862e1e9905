using FluentAssertions;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Model;
using Xunit;

namespace NpuAdvisor.Tests.Onnx;

/// <summary>Shape inference on the real PaddleOCR and BlazeFace models.</summary>
public class OnnxSharedShapeTests
{
    private const string Cls = "onnx/ppocr/ch_ppocr_mobile_v2.0_cls_infer.onnx";
    private const string Det = "onnx/ppocr/ch_PP-OCRv4_det_infer.onnx";
    private const string Face = "onnx/blazeface/face_detection_front_128x128_barracuda.onnx";

    private static IEnumerable<Operator> Convs(Graph g) =>
        g.Main.Operators.Where(o => o.SourceType is "Conv" or "ConvTranspose");

    [Theory]
    [InlineData(Cls, 53)]
    [InlineData(Det, 64)]
    public void Dynamic_ppocr_convs_know_their_channels(string path, int convs)
    {
        using var g = OnnxImporter.Load(SharedModels.PathOf(path));
        var list = Convs(g).ToList();
        list.Should().HaveCount(convs);
        foreach (var op in list)
        {
            var s = op.Output(0)!.Shape;
            s.Rank.Should().Be(4, op.Name);
            s.Dims[1].Should().BePositive(op.Name);
            s.Dims[0].Should().Be(-1);
            s.DimNames[0].Should().Be("p2o.DynamicDimension.0", "the batch dimension keeps the input's name");
            (s.Dims[2] == -1 || s.Dims[2] == 1).Should().BeTrue("H is dynamic unless globally pooled");
        }
    }

    [Fact]
    public void Ppocr_cls_reshape_built_from_shape_keeps_the_batch_name()
    {
        using var g = OnnxImporter.Load(SharedModels.PathOf(Cls));
        var reshaped = g.Main.Operators.Single(o => o.SourceType == "Reshape").Output(0)!.Shape;
        reshaped.Dims.Should().Equal(-1, 200);
        reshaped.DimNames[0].Should().Be("p2o.DynamicDimension.0");
        g.Main.Operators.Single(o => o.SourceType == "MatMul").Output(0)!.Shape.DimNames[0].Should().Be("p2o.DynamicDimension.0");
    }

    [Fact]
    public void Ppocr_cls_with_a_fixed_input_is_fully_known()
    {
        using var g = OnnxImporter.Load(SharedModels.PathOf(Cls), new OnnxImportOptions { InputShapes = new Dictionary<string, long[]> { ["x"] = [1, 3, 48, 192] } });
        foreach (var t in g.Main.Operators.SelectMany(o => o.Outputs))
            t.Shape.IsFullyKnown.Should().BeTrue(t.Name);
        var convs = Convs(g).ToList();
        // First conv: 3×3 stride 2 pad 1 → (48 + 2 − 3)/2 + 1 = 24, (192 + 2 − 3)/2 + 1 = 96.
        convs[0].Output(0)!.Shape.Should().Be(new Shape(1, 8, 24, 96));
        convs[0].Attr<ConvAttributes>()!.Padding.Should().Be(new Padding2D(PaddingKind.Explicit, 1, 1, 1, 1));
        // Depthwise stride (2,1): the text classifier keeps width longer than height.
        g.Main.Outputs.Single().Shape.Should().Be(new Shape(1, 2));
        g.Main.Operators.Single(o => o.SourceType == "MatMul").Kind.Should().Be(OpKind.FullyConnected);
        g.Main.Operators.Single(o => o.SourceType == "Reshape").Output(0)!.Shape.Should().Be(new Shape(1, 200));
        g.Macs(convs[0]).Should().Be(8L * 24 * 96 * 3 * 3 * 3);
    }

    [Fact]
    public void Ppocr_det_with_a_fixed_input_is_fully_known()
    {
        using var g = OnnxImporter.Load(SharedModels.PathOf(Det), new OnnxImportOptions { InputShapes = new Dictionary<string, long[]> { ["x"] = [1, 3, 640, 640] } });
        foreach (var t in g.Main.Operators.SelectMany(o => o.Outputs))
            t.Shape.IsFullyKnown.Should().BeTrue(t.Name);
        var convs = Convs(g).ToList();
        convs[0].Output(0)!.Shape.Should().Be(new Shape(1, 16, 320, 320));
        var resizes = g.Main.Operators.Where(o => o.SourceType == "Resize").ToList();
        resizes.Should().HaveCount(6);
        resizes.Should().OnlyContain(r => r.Kind == OpKind.ResizeNearestNeighbor);
        // The two ConvTransposes (2×2 stride 2) bring 160 back to 640 for the probability map.
        var deconvs = g.Main.Operators.Where(o => o.Kind == OpKind.TransposeConv).ToList();
        deconvs.Select(o => o.Output(0)!.Shape).Should().Equal(new Shape(1, 24, 320, 320), new Shape(1, 1, 640, 640));
        g.Main.Outputs.Single().Shape.Should().Be(new Shape(1, 1, 640, 640));
    }

    [Fact]
    public void Blazeface_convs_are_all_known()
    {
        using var g = OnnxImporter.Load(SharedModels.PathOf(Face));
        var convs = Convs(g).ToList();
        convs.Should().HaveCount(37);
        foreach (var op in convs) op.Output(0)!.Shape.IsFullyKnown.Should().BeTrue(op.Name);
        convs[0].Output(0)!.Shape.Should().Be(new Shape(1, 24, 64, 64));
        convs.Count(o => o.Kind == OpKind.DepthwiseConv2D).Should().BeGreaterThan(10);
        foreach (var t in g.Main.Operators.SelectMany(o => o.Outputs)) t.Shape.IsFullyKnown.Should().BeTrue(t.Name);
        // Channel padding is ConstantOfShape + Concat; the first pads 24 → 28 channels.
        g.Main.Operators.First(o => o.SourceType == "Concat").Output(0)!.Shape.Should().Be(new Shape(1, 28, 64, 64));
    }
}
