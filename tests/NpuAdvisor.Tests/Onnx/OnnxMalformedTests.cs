using System.Diagnostics;
using FluentAssertions;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;
using Xunit;
using Xunit.Abstractions;
using static NpuAdvisor.Tests.Onnx.OnnxModel;

namespace NpuAdvisor.Tests.Onnx;

/// <summary>Untrusted input: every failure is a ModelFormatException, quickly.</summary>
public class OnnxMalformedTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> OnnxPaths => SharedModels.Paths("onnx");

    /// <summary>Imports and reports whether it failed properly; any other exception fails the test.</summary>
    private static bool TryLoad(byte[] bytes, string path, out TimeSpan elapsed)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            using var g = OnnxImporter.Load(bytes, path);
            return true;
        }
        catch (ModelFormatException)
        {
            return false;
        }
        finally
        {
            elapsed = sw.Elapsed;
        }
    }

    [Theory]
    [MemberData(nameof(OnnxPaths))]
    public void Truncation_at_many_lengths_fails_cleanly(string path)
    {
        var full = File.ReadAllBytes(SharedModels.PathOf(path));
        var lengths = full.Length <= 4096 ? Enumerable.Range(0, full.Length)
            : Enumerable.Range(0, 200).Select(i => (int)((long)full.Length * i / 200)).Concat(Enumerable.Range(1, 64).Select(i => full.Length - i));
        var worst = TimeSpan.Zero;
        int n = 0, rejected = 0;
        foreach (var len in lengths.Distinct())
        {
            // A cut exactly between two top-level fields is still a valid (smaller) message; anything else must be refused.
            if (!TryLoad(full[..len], SharedModels.PathOf(path), out var t)) rejected++;
            if (t > worst) worst = t;
            n++;
        }
        output.WriteLine($"{path}: {n} truncations, {rejected} rejected, slowest {worst.TotalMilliseconds:F1} ms");
        rejected.Should().BeGreaterThan(n * 9 / 10);
        worst.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    [Theory]
    [MemberData(nameof(OnnxPaths))]
    public void Seeded_random_mutations_fail_cleanly_or_import(string path)
    {
        var full = File.ReadAllBytes(SharedModels.PathOf(path));
        // Thousands of mutations for the small files; the multi-megabyte ones get fewer so the suite stays fast.
        var count = full.Length < 100_000 ? 3000 : full.Length < 1_000_000 ? 300 : 100;
        var rng = new Random(path.Length * 7919 + full.Length);
        var worst = TimeSpan.Zero;
        int rejected = 0, accepted = 0;
        for (var i = 0; i < count; i++)
        {
            var bytes = (byte[])full.Clone();
            var edits = 1 + rng.Next(8);
            for (var e = 0; e < edits; e++)
            {
                var at = rng.Next(bytes.Length);
                bytes[at] = rng.Next(4) switch
                {
                    0 => (byte)rng.Next(256),
                    1 => (byte)(bytes[at] ^ (1 << rng.Next(8))),
                    2 => 0xFF,
                    _ => 0,
                };
            }
            if (TryLoad(bytes, SharedModels.PathOf(path), out var t)) accepted++; else rejected++;
            if (t > TimeSpan.FromSeconds(1)) output.WriteLine($"mutation {i} took {t.TotalMilliseconds:F0} ms");
            if (t > worst) worst = t;
        }
        output.WriteLine($"{path}: {count} mutations, {rejected} rejected, {accepted} imported, slowest {worst.TotalMilliseconds:F1} ms");
        worst.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Node_cycle_is_refused()
    {
        var m = new OnnxModel().Input("x", 1, 4).Output("b");
        m.Node("Add", ["x", "b"], ["a"]);
        m.Node("Relu", ["a"], ["b"]);
        var act = () => m.Load();
        act.Should().Throw<ModelFormatException>().WithMessage("*cycle*");
    }

    [Fact]
    public void Undefined_input_and_duplicate_output_are_refused()
    {
        var m = new OnnxModel().Input("x", 1, 4).Output("y");
        m.Node("Relu", ["nowhere"], ["y"]);
        ((Action)(() => m.Load())).Should().Throw<ModelFormatException>().WithMessage("*nowhere*");

        var d = new OnnxModel().Input("x", 1, 4).Output("y");
        d.Node("Relu", ["x"], ["y"]);
        d.Node("Relu", ["x"], ["y"]);
        ((Action)(() => d.Load())).Should().Throw<ModelFormatException>().WithMessage("*more than once*");
    }

    [Fact]
    public void Huge_declared_dimensions_do_not_allocate()
    {
        var m = new OnnxModel().Input("x", 1, 4).Output("y");
        m.Init(Raw("w", 1, [1L << 40, 1L << 30], [1, 2, 3, 4]));
        m.Node("Add", ["x", "w"], ["y"]);
        var sw = Stopwatch.StartNew();
        ((Action)(() => m.Load())).Should().Throw<ModelFormatException>().WithMessage("*too large*");

        var typed = new OnnxModel().Input("x", 1, 4).Output("y");
        typed.Init(new TensorProto { Name = "w", DataType = 1, Dims = { 1L << 31, 1L << 20 }, FloatData = { 1f } });
        typed.Node("Add", ["x", "w"], ["y"]);
        ((Action)(() => typed.Load())).Should().Throw<ModelFormatException>().WithMessage("*float_data*");

        var shapeBomb = new OnnxModel().Input("x", 1, 4).Output("y");
        shapeBomb.Init(Int64s("s", 1L << 40, 1L << 20));
        shapeBomb.Node("ConstantOfShape", ["s"], ["y"]);
        // Inferred without allocating, then refused: 2^60 float32 elements are more than 2^63 bits.
        ((Action)(() => shapeBomb.Load())).Should().Throw<ModelFormatException>().WithMessage("tensor 'y' of shape 1099511627776×1048576 (float32) is larger than 2^63 bits*");

        var hugeInput = new OnnxModel().Input("x", long.MaxValue / 2, 4, 4, 4).Output("y");
        hugeInput.Init(Floats("w", [2, 4, 1, 1]));
        hugeInput.Node("Conv", ["x", "w"], ["y"]);
        ((Action)(() => hugeInput.Load())).Should().Throw<ModelFormatException>().WithMessage("tensor 'x' of shape 4611686018427387903×4×4×4 (float32) is larger than 2^63 bits*");
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Deep_nesting_hits_the_recursion_limit()
    {
        var body = new GraphProto { Name = "leaf" };
        for (var i = 0; i < 200; i++)
        {
            var n = new NodeProto { OpType = "If", Input = { "c" }, Output = { "o" } };
            // One branch per level: sharing one body in both would make the serialized tree 2^200 long.
            n.Attribute.Add(GraphAttr("then_branch", body));
            body = new GraphProto { Name = $"g{i}", Node = { n } };
        }
        var m = new OnnxModel();
        m.Model.Graph = body;
        ((Action)(() => m.Load())).Should().Throw<ModelFormatException>().WithMessage("*protobuf*");
    }

    [Fact]
    public void Garbage_and_empty_files_are_refused()
    {
        ((Action)(() => OnnxImporter.Load(Array.Empty<byte>(), "empty.onnx"))).Should().Throw<ModelFormatException>().WithMessage("*no graph*");
        ((Action)(() => OnnxImporter.Load("TFL3 is not protobuf"u8.ToArray(), "x.onnx"))).Should().Throw<ModelFormatException>();
        ((Action)(() => OnnxImporter.Load("/nonexistent/model.onnx"))).Should().Throw<ModelFormatException>().WithMessage("*cannot read*");
    }
}
