using FluentAssertions;
using NpuAdvisor.Model;
using Xunit;

namespace NpuAdvisor.Tests.Model;

public class GraphBuilderTests
{
    [Fact]
    public void Conv_shapes_and_macs_follow_tflite_conventions()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 32, 32, 3);
        var y = b.Conv2D(x, 100, 5, 5, stride: 3);
        var z = b.DepthwiseConv2D(y, 3, 3);
        var g = b.Build();

        y.Shape.Should().Be(new Shape(1, 11, 11, 100));
        g.Macs(g.Main.Operators[0]).Should().Be(11L * 11 * 100 * 5 * 5 * 3);
        g.Macs(g.Main.Operators[1]).Should().Be(11L * 11 * 100 * 3 * 3);
        z.Producer.Should().BeSameAs(g.Main.Operators[1]);
        y.Consumers.Should().ContainSingle();
        g.Scheme().Should().Be(QuantizationScheme.PerTensor);
    }

    [Fact]
    public void Topological_order_rejects_a_cycle()
    {
        var b = new GraphBuilder();
        var a = b.Activation("a", 1, 4, 4, 8);
        var c = b.Activation("c", 1, 4, 4, 8);
        b.Op(OpKind.Relu, [a], [c]);
        b.Op(OpKind.Relu, [c], [a]);
        var g = b.Build();
        var act = () => g.Main.TopologicalOrder();
        act.Should().Throw<ModelFormatException>().WithMessage("*cycle*");
    }
}
