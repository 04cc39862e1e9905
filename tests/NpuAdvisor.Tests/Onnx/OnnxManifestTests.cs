using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Model;
using Xunit;
using Xunit.Abstractions;

namespace NpuAdvisor.Tests.Onnx;

/// <summary>Every shared ONNX model imports, and the facts MANIFEST.json computed independently (python3-onnx) match exactly.</summary>
public class OnnxManifestTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> OnnxPaths => SharedModels.Paths("onnx");

    private static JsonElement Facts(string path) =>
        SharedModels.Entries("onnx").Single(e => e.GetProperty("path").GetString() == path).GetProperty("facts");

    [Theory]
    [MemberData(nameof(OnnxPaths))]
    public void Imports_and_matches_manifest_facts(string path)
    {
        using var g = OnnxImporter.Load(SharedModels.PathOf(path));
        var f = Facts(path);

        g.Format.Should().Be("onnx");
        g.Layout.Should().Be(TensorLayout.Nchw);
        g.Version.Should().Be(f.GetProperty("ir_version").GetInt64());
        var opsets = string.Join(", ", f.GetProperty("opsets").EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name} {p.Value.GetInt64()}"));
        g.Properties["opsets"].Should().Be(opsets);
        g.Properties["producer"].Should().Be(f.GetProperty("producer").GetString());
        g.Properties["graph_name"].Should().Be(f.GetProperty("graph_name").GetString());
        g.Main.Name.Should().Be(f.GetProperty("graph_name").GetString());

        var constantNodes = f.GetProperty("constant_node_count").GetInt32();
        g.Properties["constant_nodes"].Should().Be(constantNodes.ToString());
        g.Main.Operators.Count.Should().Be(f.GetProperty("node_count").GetInt32() - constantNodes, "Constant nodes become constant tensors");
        g.Properties["nodes"].Should().Be(f.GetProperty("node_count").GetInt32().ToString());
        g.Properties["nodes_incl_subgraphs"].Should().Be(f.GetProperty("node_count_incl_subgraphs").GetInt32().ToString());
        g.Properties["initializers"].Should().Be(f.GetProperty("initializer_count").GetInt32().ToString());

        var histogram = g.AllOperators.GroupBy(o => o.SourceType).ToDictionary(x => x.Key, x => x.Count());
        if (constantNodes > 0) histogram["Constant"] = constantNodes;
        var expected = f.GetProperty("op_histogram").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        histogram.Should().BeEquivalentTo(expected);

        AssertValues(g.Main.Inputs, f.GetProperty("inputs"));
        AssertValues(g.Main.Outputs, f.GetProperty("outputs"));
        output.WriteLine($"{path}: {g.Main.Operators.Count} ops, {g.Main.Tensors.Count} tensors, scheme {g.Scheme().Describe()}");
    }

    private static void AssertValues(List<Tensor> actual, JsonElement expected)
    {
        actual.Select(t => t.Name).Should().Equal(expected.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        foreach (var (t, e) in actual.Zip(expected.EnumerateArray()))
        {
            t.Type.Name().Should().Be(e.GetProperty("dtype").GetString()!.ToLowerInvariant().Replace("float", "float32").Replace("float3232", "float32").Replace("double", "float64"));
            var dims = e.GetProperty("shape").EnumerateArray().ToList();
            t.Shape.Rank.Should().Be(dims.Count, t.Name);
            for (var i = 0; i < dims.Count; i++)
            {
                if (dims[i].ValueKind == JsonValueKind.Number) t.Shape.Dims[i].Should().Be(dims[i].GetInt64(), $"{t.Name} dim {i}");
                else
                {
                    t.Shape.Dims[i].Should().Be(-1, $"{t.Name} dim {i} is dynamic");
                    if (t.ShapeSignature is { } sig) sig.DimNames[i].Should().Be(dims[i].GetString());
                }
            }
        }
    }
}
