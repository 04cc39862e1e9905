using FluentAssertions;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;
using Xunit;
using static NpuAdvisor.Tests.Onnx.OnnxModel;

namespace NpuAdvisor.Tests.Onnx;

public class OnnxControlFlowTests
{
    private static GraphProto Branch(string name, string opType, string output)
    {
        var g = new GraphProto { Name = name };
        // Reads 'x' from the enclosing graph: bodies see outer values by name.
        g.Node.Add(new NodeProto { OpType = opType, Name = name + "_op", Input = { "x" }, Output = { output } });
        g.Output.Add(new ValueInfoProto { Name = output });
        return g;
    }

    [Fact]
    public void If_bodies_become_subgraphs_with_their_ops_counted()
    {
        var m = new OnnxModel(13).Input("x", 1, 3, 4, 4).Output("y");
        m.Graph.Input.Add(Value("cond", 9));
        m.Node("If", ["cond"], ["y"], GraphAttr("then_branch", Branch("then", "Relu", "t")), GraphAttr("else_branch", Branch("else", "Sigmoid", "e")));
        using var g = m.Load();

        g.Subgraphs.Should().HaveCount(3);
        var op = g.Main.Operators.Single();
        op.Kind.Should().Be(OpKind.If);
        op.Attr<ControlFlowAttributes>()!.BodySubgraphs.Should().Equal(1, 2);
        op.Inputs.Select(t => t!.Name).Should().Equal("cond", "x");
        g.Subgraphs[1].Operators.Single().Kind.Should().Be(OpKind.Relu);
        g.Subgraphs[2].Operators.Single().Kind.Should().Be(OpKind.Logistic);
        g.AllOperators.Should().HaveCount(3);
        g.Properties["nodes"].Should().Be("1");
        g.Properties["nodes_incl_subgraphs"].Should().Be("3");
        g.Subgraphs[1].Operators.Single().Input(0)!.Shape.Should().Be(new Shape(1, 3, 4, 4));
        op.Output(0)!.Shape.Should().Be(new Shape(1, 3, 4, 4));
    }

    [Fact]
    public void Loop_body_gets_iteration_condition_and_carried_shapes()
    {
        var body = new GraphProto { Name = "body" };
        body.Input.Add(new ValueInfoProto { Name = "i" });
        body.Input.Add(new ValueInfoProto { Name = "c" });
        body.Input.Add(new ValueInfoProto { Name = "v" });
        body.Node.Add(new NodeProto { OpType = "Identity", Input = { "c" }, Output = { "c_out" } });
        body.Node.Add(new NodeProto { OpType = "Add", Input = { "v", "x" }, Output = { "v_out" } });
        body.Output.Add(new ValueInfoProto { Name = "c_out" });
        body.Output.Add(new ValueInfoProto { Name = "v_out" });

        var m = new OnnxModel(13).Input("x", 2, 5).Output("final");
        m.Init(Int64s("trip", 3));
        m.Graph.Input.Add(Value("cond", 9));
        m.Node("Loop", ["trip", "cond", "x"], ["final"], GraphAttr("body", body));
        using var g = m.Load();

        var loop = g.Main.Operators.Single();
        loop.Kind.Should().Be(OpKind.Loop);
        g.Subgraphs[1].Inputs.Select(t => t.Type).Should().Equal(DataType.Int64, DataType.Bool, DataType.Float32);
        g.Subgraphs[1].Operators.Single(o => o.Kind == OpKind.Add).Output(0)!.Shape.Should().Be(new Shape(2, 5));
        loop.Output(0)!.Shape.Should().Be(new Shape(2, 5));
    }
}
