using System.Collections.Immutable;
using System.Diagnostics;
using FluentAssertions;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Tests.Cli;
using NpuAdvisor.Tests.Onnx;
using Xunit;
using static NpuAdvisor.Tests.Reliability.ProtobufNesting;

namespace NpuAdvisor.Tests.Reliability;

/// <summary>
/// Graph structures a runtime cannot execute and that random mutation rarely builds: operator cycles, subgraphs that
/// call themselves through control flow, and protobuf messages nested thousands deep. Each is refused with one typed
/// error, by every verb, without a stack overflow.
/// </summary>
public class HostileGraphTests
{
    private const string Recursion = "malformed protobuf: Protocol message had too many levels of nesting.  May be malicious.  Use CodedInputStream.SetRecursionLimit() to increase the depth limit.";

    private static byte[] TfliteOperatorCycle()
    {
        // x + c → a, relu(a) → c: each op waits for the other.
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4);
        var a = b.Activation("a", 1, 4);
        var c = b.Activation("c", 1, 4);
        b.Op(OpKind.Add, [x, c], [a], new ElementwiseAttributes(FusedActivation.None));
        b.Op(OpKind.Relu, [a], [c]);
        b.Output(c);
        using var g = b.Build();
        return TfliteExporter.Write(g);
    }

    [Fact]
    public void A_tflite_operator_cycle_is_refused_by_the_importer()
    {
        var act = () => TfliteImporter.Load(TfliteOperatorCycle());
        act.Should().Throw<ModelFormatException>().Which.Message.Should().Be("operators form a cycle through 'a' (at subgraph 0 operator 0)");
    }

    [Fact]
    public void An_onnx_node_cycle_is_refused_by_the_importer()
    {
        var m = new OnnxModel().Input("x", 1, 4).Output("b");
        m.Node("Add", ["x", "b"], ["a"]);
        m.Node("Relu", ["a"], ["b"]);
        var act = () => m.Load();
        act.Should().Throw<ModelFormatException>().Which.Message.Should().Be("operators form a cycle through 'a_node' (at subgraph 0 operator 0)");
    }

    /// <summary>
    /// A TFLite model: subgraph 0 holds <paramref name="calls"/>[0], each further subgraph i a RELU or the control-flow
    /// op <paramref name="calls"/>[i] (output "r{i}"), naming the body subgraphs it runs.
    /// </summary>
    private static byte[] WithCalls(params (OpKind Kind, int[] Bodies)?[] calls)
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4);
        var y = b.Activation("y", 1, 4);
        if (calls[0] is { } main) b.Op(main.Kind, [x], [y], new ControlFlowAttributes(main.Bodies));
        else b.Op(OpKind.Relu, [x], [y]);
        b.Output(y);
        var g = b.Build();
        for (var i = 1; i < calls.Length; i++)
        {
            var sg = new Subgraph { Index = i, Name = $"body{i}" };
            var a = new Tensor { Index = 0, Name = $"a{i}", Type = b.ActivationType, Shape = new Shape(ImmutableArray.Create(1L, 4L)), Quantization = b.ActivationQuantization };
            var r = new Tensor { Index = 1, Name = $"r{i}", Type = b.ActivationType, Shape = new Shape(ImmutableArray.Create(1L, 4L)), Quantization = b.ActivationQuantization };
            sg.Tensors.AddRange([a, r]);
            var kind = calls[i]?.Kind ?? OpKind.Relu;
            sg.Operators.Add(new Operator
            {
                Index = 0, SubgraphIndex = i, Kind = kind, SourceType = OpKindNames.Of(kind), Name = r.Name, Inputs = [a], Outputs = [r],
                Attributes = calls[i] is { } call ? new ControlFlowAttributes(call.Bodies) : null,
            });
            sg.Inputs.Add(a);
            sg.Outputs.Add(r);
            sg.Link();
            g.Subgraphs.Add(sg);
        }
        using (g) return TfliteExporter.Write(g);
    }

    public static TheoryData<string, string> SubgraphLoops() => new()
    {
        { "while-body-is-the-main-graph", "subgraph 0 calls itself through WHILE 'y'; no runtime executes recursive subgraphs (at subgraph 0 operator 0)" },
        { "while-body-runs-itself", "subgraph 2 calls itself through WHILE 'r2'; no runtime executes recursive subgraphs (at subgraph 2 operator 0)" },
        { "if-then-call-once-back", "subgraphs call each other in a cycle 1 → 2 → 1 (IF 'r2' in subgraph 2 enters subgraph 1 again); no runtime executes recursive subgraphs (at subgraph 2 operator 0)" },
        { "call-once-then-while-back-to-main", "subgraphs call each other in a cycle 0 → 1 → 0 (WHILE 'r1' in subgraph 1 enters subgraph 0 again); no runtime executes recursive subgraphs (at subgraph 1 operator 0)" },
    };

    private static byte[] Loop(string name) => name switch
    {
        "while-body-is-the-main-graph" => WithCalls((OpKind.While, [1, 0]), null),
        "while-body-runs-itself" => WithCalls((OpKind.While, [1, 2]), null, (OpKind.While, [1, 2])),
        "if-then-call-once-back" => WithCalls((OpKind.If, [1, 3]), (OpKind.CallOnce, [2]), (OpKind.If, [3, 1]), null),
        "call-once-then-while-back-to-main" => WithCalls((OpKind.CallOnce, [1]), (OpKind.While, [2, 0]), null),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(SubgraphLoops))]
    public void Subgraphs_that_call_themselves_through_control_flow_are_refused(string model, string message)
    {
        var act = () => TfliteImporter.Load(Loop(model));
        act.Should().Throw<ModelFormatException>().Which.Message.Should().Be(message);
    }

    [Fact]
    public void Several_ops_running_the_same_body_is_not_a_loop()
    {
        // 0 → {1, 2}, 2 → 1: subgraph 1 is reached twice, never from itself.
        using var g = TfliteImporter.Load(WithCalls((OpKind.If, [1, 2]), null, (OpKind.CallOnce, [1])));
        g.Subgraphs.Should().HaveCount(3);
    }

    [Fact]
    public void A_chain_of_thousands_of_subgraphs_is_walked_without_recursion_and_its_loop_named()
    {
        const int n = 3000;
        var chain = Enumerable.Range(0, n).Select(i => ((OpKind, int[])?)(OpKind.CallOnce, [i + 1])).Append(null).ToArray();
        using (var g = TfliteImporter.Load(WithCalls(chain))) g.Subgraphs.Should().HaveCount(n + 1);

        chain[n] = (OpKind.CallOnce, [1]);
        var act = () => TfliteImporter.Load(WithCalls(chain));
        var route = string.Join(" → ", Enumerable.Range(1, n).Append(1));
        act.Should().Throw<ModelFormatException>().Which.Message.Should().Be(
            $"subgraphs call each other in a cycle {route} (CALL_ONCE 'r{n}' in subgraph {n} enters subgraph 1 again); no runtime executes recursive subgraphs (at subgraph {n} operator 0)");
    }

    public static TheoryData<string> CyclicModels() => ["operator-cycle", "while-body-runs-itself"];

    [Theory]
    [MemberData(nameof(CyclicModels))]
    public void Every_verb_refuses_a_cyclic_model_with_exit_3_and_one_error_line(string model)
    {
        // Before, the importer accepted an operator cycle and only `check` caught it: estimate, report and fix crashed.
        var bytes = model == "operator-cycle" ? TfliteOperatorCycle() : Loop(model);
        var expected = model == "operator-cycle" ? "operators form a cycle through 'a' (at subgraph 0 operator 0)" : SubgraphLoops().First(r => (string)r[0] == model)[1];
        var path = Path.Combine(Path.GetTempPath(), $"hostile-{model}-{Guid.NewGuid():N}.tflite");
        File.WriteAllBytes(path, bytes);
        try
        {
            foreach (var args in new[] { new[] { "check", path, "-f", "json" }, ["estimate", path], ["inspect", path], ["report", path, "-o", path + ".html"], ["fix", path, "-t", "amlnn", "--dry-run"] })
            {
                var run = CliRunner.Run(args);
                run.ExitCode.Should().Be(3, args[0]);
                run.Err.Trim().Should().Be($"error: {path}: {expected}", args[0]);
            }
        }
        finally { File.Delete(path); }
    }

    public static TheoryData<string, string, int> ControlFlowNesting() => new()
    {
        { "If", "then_branch", 844 },
        { "Loop", "body", 739 },
        { "Scan", "body", 739 },
    };

    [Theory]
    [MemberData(nameof(ControlFlowNesting))]
    public void Control_flow_nested_ten_thousand_deep_hits_the_depth_limit_not_the_stack(string op, string attribute, int offset)
    {
        var bytes = ModelWith(ControlFlow(10_000, op, attribute));
        var sw = Stopwatch.StartNew();
        var act = () => OnnxImporter.Load(bytes, "nested.onnx");
        var e = act.Should().Throw<ModelFormatException>().Which;
        e.Message.Should().Be($"{Recursion} (at ModelProto, byte offset {offset})");
        (e.Field, e.Offset).Should().Be(("ModelProto", offset));
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    public static TheoryData<string, int> RecursionBombs() => new()
    {
        // A Relu's GRAPHS attribute (repeated GraphProto), itself holding a Relu with such an attribute, 10,000 times.
        { "attribute-graphs", 697 },
        // A graph input typed sequence<sequence<…>> 100,000 deep (TypeProto.sequence_type.elem_type).
        { "type-proto-sequences", 269 },
        // 100,000 nested start-group tags of an unknown field: kept as unknown fields, parsed recursively.
        { "unknown-groups", 132 },
    };

    private static byte[] Bomb(string name)
    {
        switch (name)
        {
            case "attribute-graphs":
                return ModelWith(Enumerable.Range(0, 10_000).SelectMany(i => new[]
                {
                    new Level([], 1),
                    new Level([.. StringField(4, "Relu"), .. StringField(1, "x"), .. StringField(2, $"y{i}")], 5),
                    new Level([.. StringField(1, "gs"), .. VarintField(20, 10)], 11),
                }));
            case "type-proto-sequences":
                return ModelWith(new[] { new Level([], 11), new Level(StringField(1, "x"), 2) }
                    .Concat(Enumerable.Range(0, 100_000).SelectMany(_ => new[] { new Level([], 4), new Level([], 1) })));
            case "unknown-groups":
                using (var s = new MemoryStream())
                {
                    s.Write(VarintField(1, 8));
                    for (var i = 0; i < 100_000; i++) s.Write(Tag(99, 3));
                    for (var i = 0; i < 100_000; i++) s.Write(Tag(99, 4));
                    return s.ToArray();
                }
            default:
                throw new ArgumentException(name);
        }
    }

    [Theory]
    [MemberData(nameof(RecursionBombs))]
    public void Protobuf_recursion_bombs_are_refused_with_the_depth_limit(string bomb, int offset)
    {
        var bytes = Bomb(bomb);
        var act = () => OnnxImporter.Load(bytes, "bomb.onnx");
        act.Should().Throw<ModelFormatException>().Which.Message.Should().Be($"{Recursion} (at ModelProto, byte offset {offset})");
    }

    [Fact]
    public void Deeply_nested_bytes_of_an_unknown_field_are_skipped_unparsed()
    {
        // A length-delimited unknown field is skipped by its length, however deep its content nests.
        var bytes = ModelWith(new[] { new Level(StringField(2, "g"), 97) }.Concat(Enumerable.Repeat(new Level([], 98), 100_000)));
        using var g = OnnxImporter.Load(bytes, "skipped.onnx");
        g.Subgraphs.Should().ContainSingle().Which.Name.Should().Be("g");
    }
}
