using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Fuzz;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Reliability;

/// <summary>
/// Every input AFL ever crashed the harness with, kept under Reproducers/ (named by what it broke) and
/// replayed through the same pipeline, so a past crash can never come back unnoticed.
/// </summary>
public class FuzzReproducerTests
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "Reliability", "Reproducers");

    public static IEnumerable<object[]> Reproducers() =>
        Directory.GetFiles(Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(f => new object[] { f! });

    [Theory]
    [MemberData(nameof(Reproducers))]
    public void Reproducer_goes_through_the_harness_pipeline_or_raises_ModelFormatException(string file)
    {
        var harness = Path.GetExtension(file).TrimStart('.');
        var folder = Directory.CreateTempSubdirectory("npu-advisor-repro-").FullName;
        try
        {
            var act = () => FuzzPipeline.Run(harness, File.ReadAllBytes(Path.Combine(Dir, file)), folder);
            act.Should().NotThrow();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_quantization_scale_that_is_not_finite_is_written_as_null_in_inspect_json()
    {
        // Before: Utf8JsonWriter threw ArgumentException on the NaN scale and `inspect --json` crashed.
        using var g = TfliteImporter.Load(File.ReadAllBytes(Path.Combine(Dir, "tflite-nan-quantization-scale.tflite")));
        using var s = new MemoryStream();
        InspectJson.Write(s, g);
        var scales = Scales(JsonDocument.Parse(s.ToArray()).RootElement).ToList();
        scales.Should().Contain(v => v.ValueKind == JsonValueKind.Null);
        g.Subgraphs.SelectMany(sg => sg.Tensors).Should().Contain(t => t.Quantization.IsQuantized && !float.IsFinite(t.Quantization.Scale));
    }

    private static IEnumerable<JsonElement> Scales(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => p.Name == "scale" ? [p.Value] : Scales(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Scales),
        _ => [],
    };

    [Fact]
    public void An_operator_cycle_is_refused_by_the_importer()
    {
        // Found when the importer accepted it and only `check` ordered the ops: estimate, report and fix then crashed on it.
        var act = () => TfliteImporter.Load(File.ReadAllBytes(Path.Combine(Dir, "tflite-operator-cycle.tflite")));
        act.Should().Throw<ModelFormatException>().Which.Message.Should().Be("operators form a cycle through 'mea\uFFFD0' (at subgraph 0 operator 0)");
    }

    [Theory]
    [InlineData("tflite-zero-dimension-after-huge-ones.tflite")]
    [InlineData("tflite-zero-dimension-after-huge-ones-2.tflite")]
    public void A_shape_with_a_zero_dimension_after_huge_ones_has_no_elements(string file)
    {
        // Before: ElementCount saturated at long.MaxValue before it reached the 0, so inspect's parameter
        // count overflowed (OverflowException; AccessViolationException under the SharpFuzz-instrumented build).
        using var g = TfliteImporter.Load(File.ReadAllBytes(Path.Combine(Dir, file)));
        var empty = g.Subgraphs.SelectMany(s => s.Tensors).Where(t => t.Shape.Dims.Contains(0)).ToList();
        empty.Should().NotBeEmpty();
        empty.Should().OnlyContain(t => t.Shape.ElementCount == 0);
        var act = () => ModelFacts.Of(g);
        act.Should().NotThrow();
    }
}
