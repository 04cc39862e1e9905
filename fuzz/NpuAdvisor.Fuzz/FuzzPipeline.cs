using NpuAdvisor.Analysis;
using NpuAdvisor.Formats;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using NpuAdvisor.Rewrite;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Fuzz;

/// <summary>
/// One fuzz input through everything the CLI does with a model: load, check on every target with
/// estimates and savings, every report writer, then `fix` (on one target, see <see cref="FixTarget"/>). Only <see cref="ModelFormatException"/>
/// may escape, and only from loading and checking; the test suite links this file too, so its smoke test runs
/// exactly what AFL runs.
/// </summary>
internal static class FuzzPipeline
{
    public static readonly string[] Harnesses = ["tflite", "onnx"];

    /// <summary>How far an input got: refused with ModelFormatException, checked and reported, or also rewritten by `fix` on some target.</summary>
    public enum Outcome { Refused, Checked, Rewritten }

    public static Outcome Run(string harness, ReadOnlySpan<byte> input, string externalDataFolder)
    {
        var bytes = input.ToArray();
        Graph graph;
        IReadOnlyList<TargetResult> results;
        try
        {
            graph = Load(harness, bytes, externalDataFolder);
        }
        catch (ModelFormatException)
        {
            return Outcome.Refused;
        }
        // As in `check`: a defect found only while analysing is the same typed refusal.
        try
        {
            results = Advisor.Check(graph, TargetRegistry.All);
        }
        catch (ModelFormatException)
        {
            graph.Dispose();
            return Outcome.Refused;
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
        // The ONNX rewrite edits the original file's ModelProto (OnnxRewriteWriter re-reads Graph.Path): as for the CLI, it is on disk.
        if (harness == "onnx") File.WriteAllBytes(ModelPath(externalDataFolder), bytes);
        return Fix(harness, bytes, externalDataFolder, FixTarget(bytes)) ? Outcome.Rewritten : Outcome.Checked;
    }

    private static Graph Load(string harness, byte[] bytes, string externalDataFolder) => harness switch
    {
        "tflite" => TfliteImporter.Load(bytes),
        "onnx" => OnnxImporter.Load(bytes, ModelPath(externalDataFolder)),
        _ => throw new ArgumentException($"unknown harness '{harness}'", nameof(harness)),
    };

    /// <summary>
    /// The one target `fix` runs for on this input, picked by a hash of its bytes: each site `fix` tries is written, read
    /// back and analysed, so all five on a 100-op model take longer than AFL's 2 s hang limit, while AFL's mutants of
    /// one seed spread over every target. Deterministic, as AFL needs.
    /// </summary>
    internal static Target FixTarget(ReadOnlySpan<byte> input)
    {
        var hash = 2166136261u; // FNV-1a
        foreach (var b in input) hash = (hash ^ b) * 16777619u;
        return TargetRegistry.All[(int)(hash % (uint)TargetRegistry.All.Count)];
    }

    private static string ModelPath(string folder) => Path.Combine(folder, "model.onnx");

    /// <summary>
    /// `fix --dry-run --format json` for one target, on a fresh load as the CLI has one (the passes edit the graph),
    /// then the read-back `fix -o` makes of the written bytes. The model already loaded and checked, so a
    /// ModelFormatException here is a crash of the verb, not a refusal.
    /// </summary>
    private static bool Fix(string harness, byte[] bytes, string externalDataFolder, Target target)
    {
        try
        {
            using var graph = Load(harness, bytes, externalDataFolder);
            var options = new TargetOptions();
            var result = Fixer.Run(graph, target, options, RewritePasses.All);
            _ = FixJson.Render("fuzz." + harness, null, dryRun: true, result);
            if (result.Bytes is not { } written) return false;
            using var back = ModelWriter.Read(written, graph);
            if (!FixFigures.Of(Fixer.Analyse(back, target, options)).SameAs(result.After))
                throw new InvalidOperationException($"fix on {target.Id}: the written model reads back with other figures than the rewrite produced");
            return true;
        }
        catch (ModelFormatException e)
        {
            throw new InvalidOperationException($"fix on {target.Id} raised ModelFormatException on a model that loaded and checked: {e.Message}", e);
        }
    }
}
