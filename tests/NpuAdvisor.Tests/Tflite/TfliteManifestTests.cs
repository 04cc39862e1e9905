using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using Xunit;

namespace NpuAdvisor.Tests.Tflite;

/// <summary>Every fact MANIFEST.json records for each shared TFLite model, read back through the importer (memory-mapped).</summary>
public class TfliteManifestTests
{
    public static IEnumerable<object[]> Models => SharedModels.Paths("tflite");

    private static JsonElement Facts(string path) =>
        SharedModels.Entries("tflite").Single(e => e.GetProperty("path").GetString() == path).GetProperty("facts");

    private static Dictionary<string, long> Counts(JsonElement obj) =>
        obj.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());

    private static string TfliteTypeName(DataType t) => t.Name().ToUpperInvariant();

    [Theory]
    [MemberData(nameof(Models))]
    public void File_level_facts_match(string path)
    {
        var facts = Facts(path);
        using var g = TfliteImporter.Load(SharedModels.PathOf(path));

        g.Format.Should().Be("tflite");
        g.Layout.Should().Be(TensorLayout.Nhwc);
        g.FileSize.Should().Be(new FileInfo(SharedModels.PathOf(path)).Length);
        g.Properties["file_identifier"].Should().Be(facts.GetProperty("file_identifier").GetString());
        g.Version.Should().Be(facts.GetProperty("schema_version").GetInt64());
        g.Description.Should().Be(facts.GetProperty("description").GetString());
        g.Subgraphs.Should().HaveCount(facts.GetProperty("subgraph_count").GetInt32());
        g.Properties["buffer_count"].Should().Be(facts.GetProperty("buffer_count").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        g.Properties["operator_codes"].Should().Be(string.Join(", ", facts.GetProperty("operator_codes").EnumerateArray().Select(e => e.GetString())));
        g.Metadata.Select(m => m.Name).Should().Equal(facts.GetProperty("metadata_names").EnumerateArray().Select(e => e.GetString()));
        g.AllOperators.Count().Should().Be(facts.GetProperty("operator_count_total").GetInt32());
        g.AllOperators.GroupBy(o => o.SourceType).ToDictionary(x => x.Key, x => (long)x.Count())
            .Should().Equal(Counts(facts.GetProperty("op_histogram_total")));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Subgraph_facts_match(string path)
    {
        var facts = Facts(path);
        using var g = TfliteImporter.Load(SharedModels.PathOf(path));
        foreach (var sf in facts.GetProperty("subgraphs").EnumerateArray())
        {
            var sg = g.Subgraphs[sf.GetProperty("index").GetInt32()];
            sg.Name.Should().Be(sf.GetProperty("name").GetString());
            sg.Tensors.Should().HaveCount(sf.GetProperty("tensor_count").GetInt32());
            sg.Operators.Should().HaveCount(sf.GetProperty("operator_count").GetInt32());
            sg.Operators.GroupBy(o => o.SourceType).ToDictionary(x => x.Key, x => (long)x.Count())
                .Should().Equal(Counts(sf.GetProperty("op_histogram")));
            AssertEndpoints(sg.Inputs, sf.GetProperty("inputs"));
            AssertEndpoints(sg.Outputs, sf.GetProperty("outputs"));
        }
    }

    private static void AssertEndpoints(List<Tensor> tensors, JsonElement expected)
    {
        var list = expected.EnumerateArray().ToList();
        tensors.Should().HaveCount(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var t = tensors[i];
            var e = list[i];
            t.Name.Should().Be(e.GetProperty("name").GetString());
            t.Shape.Dims.Should().Equal(e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            TfliteTypeName(t.Type).Should().Be(e.GetProperty("dtype").GetString());
            var q = e.GetProperty("quantization");
            if (q.ValueKind == JsonValueKind.Null)
            {
                t.Quantization.Scales.Should().BeEmpty();
                continue;
            }
            t.Quantization.Scales.Length.Should().Be(q.GetProperty("scale_count").GetInt32());
            ((double)t.Quantization.Scales[0]).Should().Be(q.GetProperty("first_scale").GetDouble());
            t.Quantization.ZeroPoints.Length.Should().Be(q.GetProperty("zero_point_count").GetInt32());
            t.Quantization.ZeroPoints[0].Should().Be(q.GetProperty("first_zero_point").GetInt64());
            t.Quantization.Axis.Should().Be(q.GetProperty("quantized_dimension").GetInt32());
        }
    }

    private static readonly string[] MacOps = ["CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Macs_match(string path)
    {
        var macs = Facts(path).GetProperty("macs");
        using var g = TfliteImporter.Load(SharedModels.PathOf(path));
        long total = 0;
        foreach (var name in MacOps)
        {
            var ops = g.AllOperators.Where(o => o.SourceType == name).ToList();
            var sum = ops.Sum(g.Macs);
            ops.Should().HaveCount(macs.GetProperty("op_counts").GetProperty(name).GetInt32(), name);
            sum.Should().Be(macs.GetProperty(name).GetInt64(), name);
            total += sum;
        }
        total.Should().Be(macs.GetProperty("total").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Weight_quantization_matches(string path)
    {
        var wq = Facts(path).GetProperty("weight_quantization");
        using var g = TfliteImporter.Load(SharedModels.PathOf(path));
        var weighted = g.AllOperators.Where(o => MacOps.Contains(o.SourceType)).ToList();

        string Class(Tensor? w) => Metrics.Classify(w) switch
        {
            WeightQuantization.PerChannel => "per_channel",
            WeightQuantization.PerTensor => "per_tensor",
            _ => "not_quantized",
        };
        weighted.GroupBy(o => $"{o.SourceType}:{Class(o.Weights())}").ToDictionary(x => x.Key, x => (long)x.Count())
            .Should().Equal(Counts(wq.GetProperty("by_op")));
        weighted.GroupBy(o => $"{o.SourceType} weight {TfliteTypeName(o.Weights()!.Type)} {Class(o.Weights())} ({Origin(o.Weights()!)})")
            .ToDictionary(x => x.Key, x => (long)x.Count())
            .Should().Equal(Counts(wq.GetProperty("detail")));

        var expectedScheme = wq.GetProperty("summary").GetString() switch
        {
            "per-tensor" => new[] { QuantizationScheme.PerTensor },
            "per-channel" => [QuantizationScheme.PerChannel],
            "not quantized (float weights)" => [QuantizationScheme.Float, QuantizationScheme.Float16Weights],
            var s when s!.StartsWith("n/a", StringComparison.Ordinal) => [QuantizationScheme.NoWeights],
            var s => throw new InvalidOperationException("unexpected summary " + s),
        };
        g.Scheme().Should().BeOneOf(expectedScheme);
    }

    /// <summary>Where a weight comes from, spelled as the manifest does: "constant INT8", "op:DEQUANTIZE &lt;- constant FLOAT16"…</summary>
    private static string Origin(Tensor t)
    {
        var parts = new List<string>();
        while (t.Producer is { } p && p.Input(0) is { } src)
        {
            parts.Add("op:" + p.SourceType);
            t = src;
        }
        parts.Add((t.IsConstant ? "constant " : "activation ") + TfliteTypeName(t.Type));
        return string.Join(" <- ", parts);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Quantized_tensors_by_dtype_match(string path)
    {
        var expected = Counts(Facts(path).GetProperty("quantized_tensors_by_dtype"));
        using var g = TfliteImporter.Load(SharedModels.PathOf(path));
        g.Subgraphs.SelectMany(s => s.Tensors).Where(t => t.Quantization.Scales.Length > 0)
            .GroupBy(t => $"{TfliteTypeName(t.Type)} {(t.Quantization.Scales.Length > 1 ? "per_channel" : "per_tensor")}")
            .ToDictionary(x => x.Key, x => (long)x.Count())
            .Should().Equal(expected);
    }
}
