using System.CommandLine;
using NpuAdvisor.Analysis;
using NpuAdvisor.Reports;
using NpuAdvisor.Targets;
using Spectre.Console;

namespace NpuAdvisor.Cli;

internal static class CheckCommand
{
    private static readonly string[] Formats = ["table", "json", "markdown", "sarif"];
    private static readonly string[] FailOn = ["none", "unsupported", "performance", "any"];

    public static Command Create(CliContext ctx)
    {
        var models = new Argument<string[]>("MODEL") { Description = "Model files or folders", Arity = ArgumentArity.OneOrMore };
        var target = Commands.TargetOption();
        var cores = Commands.CoresOption();
        var format = new Option<string>("--format", "-f") { Description = "table, json, markdown or sarif", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong(Formats);
        var allOps = new Option<bool>("--all-ops") { Description = "List every operator in the table, not only those with findings" };
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when a finding of this severity or worse exists: unsupported, performance (also unsupported), any",
            DefaultValueFactory = _ => "none",
        };
        failOn.AcceptOnlyFromAmong(FailOn);
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Descend into sub-folders of folder arguments" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file (atomically) instead of stdout" };
        var cmd = new Command("check", "Place every operator on each target (NPU or CPU, and why), list the vendor rules that fire on your layers, and compare targets.")
        {
            models, target, cores, format, allOps, failOn, recursive, output,
        };
        cmd.SetAction(p => Run(ctx, new Request(
            ModelFiles.Expand(p.GetValue(models)!, p.GetValue(recursive)),
            Commands.ResolveTargets(p.GetValue(target)!),
            Commands.Options(p.GetValue(cores)),
            p.GetValue(format)!, p.GetValue(allOps), p.GetValue(failOn)!, p.GetValue(output))));
        return cmd;
    }

    private sealed record Request(List<string> Files, IReadOnlyList<Target> Targets, TargetOptions Options,
        string Format, bool AllOps, string FailOn, string? Output);

    private static int Run(CliContext ctx, Request req)
    {
        if (req.Files.Count == 0) throw new UsageException("no model files found");
        var analyses = AnalyseAll(ctx, req);
        try
        {
            foreach (var a in analyses.Where(a => a.Error is not null))
                ctx.Err.WriteLine($"error: {TerminalText.Escape(a.Path)}: {TerminalText.Escape(a.Error!.Message)}");

            if (req.Output is { } path)
                AtomicFile.Write(path, req.Files, s => Render(ctx, req, analyses, s));
            else
                Render(ctx, req, analyses, null);

            if (analyses.Any(a => a.Error is not null)) return Commands.BadModel;
            return analyses.SelectMany(a => a.Results).SelectMany(r => r.AllFindings).Any(f => Fails(f.Kind, req.FailOn))
                ? Commands.FailOnMet : Commands.Ok;
        }
        finally
        {
            foreach (var a in analyses) a.Dispose();
        }
    }

    public static bool Fails(RuleKind kind, string failOn) => failOn switch
    {
        "unsupported" => kind == RuleKind.Unsupported,
        "performance" => kind is RuleKind.Unsupported or RuleKind.Performance,
        "any" => true,
        _ => false,
    };

    /// <summary>Analyses the models in parallel on all cores; a progress bar only when stdout is a terminal and there are several models.</summary>
    private static List<ModelAnalysis> AnalyseAll(CliContext ctx, Request req)
    {
        var results = new ModelAnalysis[req.Files.Count];
        void One(int i)
        {
            var path = req.Files[i];
            try
            {
                var g = NpuAdvisor.Formats.ModelLoader.Load(path);
                results[i] = new ModelAnalysis { Path = path, Graph = g, Results = Advisor.Check(g, req.Targets, req.Options) };
            }
            catch (Model.ModelFormatException e)
            {
                results[i] = new ModelAnalysis { Path = path, Error = e };
            }
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        if (ctx.IsTerminal && req.Files.Count > 1)
        {
            ctx.Console().Progress().AutoClear(true).Start(p =>
            {
                var task = p.AddTask("checking models", maxValue: req.Files.Count);
                Parallel.For(0, req.Files.Count, parallel, i => { One(i); task.Increment(1); });
            });
        }
        else
        {
            Parallel.For(0, req.Files.Count, parallel, One);
        }
        return results.ToList();
    }

    private static void Render(CliContext ctx, Request req, List<ModelAnalysis> analyses, Stream? file)
    {
        switch (req.Format)
        {
            case "json":
                WriteBytes(ctx, file, s => CheckJson.Write(s, analyses));
                break;
            case "markdown":
                WriteBytes(ctx, file, s =>
                {
                    using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
                    MarkdownReport.Write(Readable(analyses), w);
                });
                break;
            case "sarif":
                WriteBytes(ctx, file, s => SarifReport.Write(Readable(analyses), req.Targets, s));
                break;
            default:
                if (file is not null)
                {
                    using var w = new StreamWriter(file, leaveOpen: true);
                    CheckTable.Write(new CliContext(w, ctx.Err, false).Console(), analyses, req.AllOps);
                }
                else CheckTable.Write(ctx.Console(), analyses, req.AllOps);
                break;
        }
    }

    private static List<(string ModelPath, IReadOnlyList<TargetResult> Results)> Readable(IEnumerable<ModelAnalysis> analyses) =>
        analyses.Where(a => a.Error is null).Select(a => (a.Path, a.Results)).ToList();

    private static void WriteBytes(CliContext ctx, Stream? file, Action<Stream> write)
    {
        if (file is not null) { write(file); return; }
        using var s = new MemoryStream();
        write(s);
        ctx.Out.WriteLine(System.Text.Encoding.UTF8.GetString(s.ToArray()));
    }
}
