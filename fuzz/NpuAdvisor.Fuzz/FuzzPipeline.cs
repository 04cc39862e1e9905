using NpuAdvisor.Analysis;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Fuzz;

/// <summary>
/// One fuzz input through everything the CLI does with a model: load, check on every target with
/// estimates and savings, then every report writer. Only <see cref="ModelFormatException"/> may
/// escape; the test suite links this file too, so its smoke test runs exactly what AFL runs.
/// </summary>
internal static class FuzzPipeline
{
    public static readonly string[] Harnesses = ["tflite", "onnx"];

    /// <summary>Runs one input; returns false when the model was refused with ModelFormatException.</summary>
    public static bool Run(string harness, ReadOnlySpan<byte> input, string externalDataFolder)
    {
        var bytes = input.ToArray();
        Graph graph;
        IReadOnlyList<TargetResult> results;
        try
        {
            graph = harness switch
            {
                "tflite" => TfliteImporter.Load(bytes),
                "onnx" => OnnxImporter.Load(bytes, Path.Combine(externalDataFolder, "model.onnx")),
                _ => throw new ArgumentException($"unknown harness '{harness}'", nameof(harness)),
            };
        }
        catch (ModelFormatException)
        {
            return false;
        }
        // As in `check`: a defect found only while analysing (an operator cycle, say) is the same typed refusal.
        try
        {
            results = Advisor.Check(graph, TargetRegistry.All);
        }
        catch (ModelFormatException)
        {
            graph.Dispose();
            return false;
        }
        using (graph)
        {
            var analysis = new ModelAnalysis { Path = "fuzz." + harness, Graph = graph, Results = results };
            IReadOnlyList<(string, IReadOnlyList<TargetResult>)> models = [(analysis.Path, results)];
            CheckJson.Write(Stream.Null, [analysis]);
            _ = EstimateJson.Render(graph, results, 10);
            SarifReport.Write(models, TargetRegistry.All, Stream.Null);
            MarkdownReport.Write(models, TextWriter.Null);
            HtmlReport.Write(graph, results, Stream.Null);
            InspectJson.Write(Stream.Null, graph);
        }
        return true;
    }
}
