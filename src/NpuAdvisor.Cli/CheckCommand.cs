using System.CommandLine;
using NpuAdvisor.Analysis;
using NpuAdvisor.Baselines;
using NpuAdvisor.Config;
using NpuAdvisor.Reports;
using NpuAdvisor.Targets;
using Spectre.Console;

namespace NpuAdvisor.Cli;

internal static class CheckCommand
{
    private static readonly string[] Formats = ["table", "json", "markdown", "sarif", "codequality"];

    public static Command Create(CliContext ctx)
    {
        var models = new Argument<string[]>("MODEL") { Description = "Model files or folders", Arity = ArgumentArity.OneOrMore };
        var target = Commands.TargetOption();
        var cores = Commands.CoresOption();
        var format = new Option<string>("--format", "-f") { Description = "table, json, markdown, sarif, or codequality (GitLab Code Quality)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong(Formats);
        var allOps = new Option<bool>("--all-ops") { Description = "List every operator in the table, not only those with findings" };
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when a finding of this severity or worse exists that is neither suppressed nor in the baseline: unsupported, performance (also unsupported), any; when not given, the config's fail_on or none",
            DefaultValueFactory = _ => FailOn.None,
        };
        failOn.AcceptOnlyFromAmong([.. FailOn.Levels]);
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Descend into sub-folders of folder arguments" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file (atomically) instead of stdout" };
        var config = Commands.ConfigOption();
        var baseline = new Option<string?>("--baseline")
        {
            Description = "Compare with this baseline (written by --write-baseline): each finding is new or unchanged, baseline findings no longer found are absent; --fail-on counts only new ones",
        };
        var writeBaseline = new Option<string?>("--write-baseline") { Description = "Record this run's findings as a baseline in FILE (atomically)" };
        var cmd = new Command("check", "Place every operator on each target (NPU or CPU, and why), list the vendor rules that fire on your layers, and compare targets.")
        {
            models, target, cores, format, allOps, failOn, recursive, output, config, baseline, writeBaseline,
        };
        cmd.SetAction(p => Run(ctx, new Request(
            ModelFiles.Expand(p.GetValue(models)!, p.GetValue(recursive)),
            Commands.Given(p, target), Commands.Options(p.GetValue(cores)),
            p.GetValue(format)!, p.GetValue(allOps), Commands.Given(p, failOn), p.GetValue(output),
            p.GetValue(config), p.GetValue(baseline), p.GetValue(writeBaseline))));
        return cmd;
    }

    /// <summary>The command line as given: <see cref="Targets"/> and <see cref="FailOn"/> are null when left to the config (or the default).</summary>
    private sealed record Request(List<string> Files, string[]? Targets, TargetOptions Options,
        string Format, bool AllOps, string? FailOn, string? Output, string? Config, string? Baseline, string? WriteBaseline);

    /// <summary>How one model is checked: its config (the nearest npu-advisor.json or --config) fills in what the command line left out.</summary>
    private sealed record Plan(string File, AdvisorConfig? Config, IReadOnlyList<Target> Targets, string FailOn);

    private static int Run(CliContext ctx, Request req)
    {
        if (req.Files.Count == 0) throw new UsageException("no model files found");
        if (req.WriteBaseline is { } wb && req.Output is { } o && Path.GetFullPath(wb) == Path.GetFullPath(o))
            throw new UsageException("--write-baseline and --output name the same file");
        var configs = new ConfigFiles(req.Config);
        var plans = req.Files.Select(f =>
        {
            var c = configs.For(f);
            return new Plan(f, c, Commands.ResolveTargets(req.Targets ?? c?.Targets ?? ["all"]), req.FailOn ?? c?.FailOn ?? FailOn.None);
        }).ToList();
        var baseline = req.Baseline is { } b ? BaselineFile.Read(b) : null;
        var analyses = AnalyseAll(ctx, plans, req.Options);
        try
        {
            foreach (var a in analyses.Where(a => a.Error is not null))
                ctx.Err.WriteLine($"error: {TerminalText.Escape(a.Path)}: {TerminalText.Escape(a.Error!.Message)}");

            var stale = SuppressionMatcher.Apply(plans.Zip(analyses)
                .Where(x => x.First.Config is not null && x.Second.Error is null)
                .Select(x => (x.First.Config!, x.Second.Results)));
            foreach (var s in stale) ctx.Err.WriteLine("warning: " + TerminalText.Escape(s.StaleWarning()));
            baseline?.Compare(Readable(analyses));
            if (req.WriteBaseline is { } path)
            {
                var written = Baseline.From(Readable(analyses));
                AtomicFile.Write(path, req.Files, s => BaselineFile.Write(written, s));
                ctx.Err.WriteLine($"wrote baseline {TerminalText.Escape(path)} ({written.Models.Sum(m => m.Findings.Sum(e => e.Count))} findings of {written.Models.Count} model{(written.Models.Count == 1 ? "" : "s")})");
            }

            var targets = plans.SelectMany(p => p.Targets).Distinct().ToList();
            if (req.Output is { } output)
                AtomicFile.Write(output, req.Files, s => Render(ctx, req, targets, analyses, stale, s));
            else
                Render(ctx, req, targets, analyses, stale, null);

            if (analyses.Any(a => a.Error is not null)) return Commands.BadModel;
            return plans.Zip(analyses).Any(x => x.Second.Results.SelectMany(r => r.AllFindings).Any(f => FailOn.Counts(f, x.First.FailOn)))
                ? Commands.FailOnMet : Commands.Ok;
        }
        finally
        {
            foreach (var a in analyses) a.Dispose();
        }
    }

    /// <summary>Analyses the models in parallel on all cores; a progress bar only when stdout is a terminal and there are several models.</summary>
    private static List<ModelAnalysis> AnalyseAll(CliContext ctx, List<Plan> plans, TargetOptions options)
    {
        var results = new ModelAnalysis[plans.Count];
        void One(int i)
        {
            var path = plans[i].File;
            try
            {
                var g = NpuAdvisor.Formats.ModelLoader.Load(path);
                results[i] = new ModelAnalysis { Path = path, Graph = g, Results = Advisor.Check(g, plans[i].Targets, options) };
            }
            catch (Model.ModelFormatException e)
            {
                results[i] = new ModelAnalysis { Path = path, Error = e };
            }
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        if (ctx.IsTerminal && plans.Count > 1)
        {
            ctx.Console().Progress().AutoClear(true).Start(p =>
            {
                var task = p.AddTask("checking models", maxValue: plans.Count);
                Parallel.For(0, plans.Count, parallel, i => { One(i); task.Increment(1); });
            });
        }
        else
        {
            Parallel.For(0, plans.Count, parallel, One);
        }
        return results.ToList();
    }

    private static void Render(CliContext ctx, Request req, IReadOnlyList<Target> targets, List<ModelAnalysis> analyses,
        IReadOnlyList<Suppression> stale, Stream? file)
    {
        switch (req.Format)
        {
            case "json":
                WriteBytes(ctx, file, s => CheckJson.Write(s, analyses, stale));
                break;
            case "markdown":
                WriteBytes(ctx, file, s =>
                {
                    using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
                    MarkdownReport.Write(Readable(analyses), w, stale: stale);
                });
                break;
            case "sarif":
                WriteBytes(ctx, file, s => SarifReport.Write(Readable(analyses), targets, s, stale));
                break;
            case "codequality":
                WriteBytes(ctx, file, s => CodeQualityReport.Write(Readable(analyses), s));
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
