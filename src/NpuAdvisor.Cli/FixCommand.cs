using System.CommandLine;
using NpuAdvisor.Analysis;
using NpuAdvisor.Formats;
using NpuAdvisor.Reports;
using NpuAdvisor.Rewrite;
using Spectre.Console;
using static NpuAdvisor.Cli.CliContext;

namespace NpuAdvisor.Cli;

/// <summary>`fix`: writes the model with every output-preserving rewrite the target profits from, and what each one resolves.</summary>
internal static class FixCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Argument<string>("MODEL") { Description = "A .tflite or .onnx file" };
        var target = new Option<string>("--target", "-t") { Description = "One target id (passes differ per target)", Required = true };
        var cores = Commands.CoresOption();
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the rewritten model (same format as MODEL; never MODEL itself)" };
        var only = new Option<string[]>("--only")
        {
            Description = $"Run only these passes: {string.Join(", ", RewritePasses.All.Select(p => p.Id))} (comma-separated or repeated)",
            AllowMultipleArgumentsPerToken = true,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be applied, and why other sites are not, without writing" };
        var format = new Option<string>("--format", "-f") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var cmd = new Command("fix", $"Write the model with the output-preserving rewrites ({string.Join(", ", RewritePasses.All.Select(x => x.Id))}) that do not slow the target down.")
        {
            model, target, cores, output, only, dryRun, format,
        };
        cmd.SetAction(p =>
        {
            var t = Commands.ResolveTargets([p.GetValue(target)!]);
            if (t.Count != 1 || p.GetValue(target)!.Contains(',') || p.GetValue(target)!.Equals("all", StringComparison.OrdinalIgnoreCase))
                throw new UsageException("fix takes exactly one target (passes differ per target: channel multiples, pad limits)");
            var passes = Passes(p.GetValue(only));
            var path = p.GetValue(model)!;
            var outPath = p.GetValue(output);
            var dry = p.GetValue(dryRun);
            if (outPath is null && !dry) throw new UsageException("fix needs -o OUT (or --dry-run)");
            if (outPath is not null && FileIdentity.Same(path, outPath)) throw new UsageException($"refusing to write over the input model '{path}'");
            var options = Commands.Options(p.GetValue(cores));

            using var g = Commands.TryLoad(ctx, path);
            if (g is null) return Commands.BadModel;
            var result = Fixer.Run(g, t[0], options, passes);
            var written = false;
            if (!dry && result.Bytes is { } bytes && outPath is not null)
            {
                try
                {
                    AtomicFile.Write(outPath, [path], s => s.Write(bytes));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    ctx.Err.WriteLine($"error: cannot write {TerminalText.Escape(outPath)}: {TerminalText.Escape(e.Message)}");
                    return Commands.Usage;
                }
                written = true;
                // The figures reported are those of the file as it reads back from disk.
                using var back = Commands.TryLoad(ctx, outPath);
                if (back is null) return Commands.BadModel;
                var reread = FixFigures.Of(Fixer.Analyse(back, t[0], options));
                if (!reread.SameAs(result.After))
                {
                    ctx.Err.WriteLine($"error: {TerminalText.Escape(outPath)} reads back with different figures than the rewrite produced");
                    return Commands.BadModel;
                }
                result.After = reread;
            }
            if (p.GetValue(format) == "json") ctx.Out.WriteLine(FixJson.Render(path, written ? outPath : null, dry, result));
            else WriteTable(ctx.Console(), path, written ? outPath : null, dry, result);
            return result.Applied.Count > 0 ? Commands.Ok : Commands.FailOnMet;
        });
        return cmd;
    }

    private static List<RewritePass> Passes(string[]? only)
    {
        if (only is null || only.Length == 0) return [.. RewritePasses.All];
        var list = new List<RewritePass>();
        foreach (var id in only.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            list.Add(RewritePasses.Find(id) ?? throw new UsageException($"unknown pass '{id}'. Passes: {string.Join(", ", RewritePasses.All.Select(x => x.Id))}"));
        // Run in the canonical order whatever order --only names them in.
        return RewritePasses.All.Where(list.Contains).ToList();
    }

    private static void WriteTable(IAnsiConsole c, string input, string? output, bool dryRun, FixResult r)
    {
        c.MarkupLine($"fix {Esc(input)} for [bold]{Esc(r.TargetId)}[/]" + (dryRun ? " (dry run: nothing written)" : output is null ? "" : $" → {Esc(output)}"));
        if (r.NotWritable is { } why) c.MarkupLine($"[yellow]the model cannot be written back:[/] {Esc(why)}");
        var applied = new Table().Title($"applied ({r.Applied.Count})").AddColumns("pass", "ops", "rules resolved", "estimate ms");
        foreach (var a in r.Applied)
            applied.AddRow(Esc(a.Pass), Esc(Ops(a.Ops)), Esc(a.RulesResolved.Count > 0 ? string.Join(", ", a.RulesResolved) : "–"), $"{a.EstimateBeforeMs:0.000} → {a.EstimateAfterMs:0.000}");
        if (r.Applied.Count > 0) c.Write(applied);
        else c.MarkupLine("nothing to fix: no pass applies without changing outputs or slowing the target");
        if (r.Declined.Count > 0)
        {
            var declined = new Table().Title($"not applied ({r.Declined.Count})").AddColumns("pass", "ops", "why");
            foreach (var d in r.Declined) declined.AddRow(Esc(d.Pass), Esc(Ops(d.Ops)), Esc(d.Reason));
            c.Write(declined);
        }
        var t = new Table().Title($"{Esc(r.TargetId)}: before → after").AddColumns("", "before", "after");
        t.AddRow("NPU ops", $"{r.Before.NpuOps}/{r.Before.Ops}", $"{r.After.NpuOps}/{r.After.Ops}");
        t.AddRow("segments", r.Before.Segments.ToString(), r.After.Segments.ToString());
        foreach (var k in Enum.GetValues<RuleKind>())
            t.AddRow($"{k.Name()} findings", r.Before.FindingsByKind.GetValueOrDefault(k).ToString(), r.After.FindingsByKind.GetValueOrDefault(k).ToString());
        t.AddRow("estimate ms", $"{r.Before.EstimateMs:0.000}", $"{r.After.EstimateMs:0.000}");
        c.Write(t);
    }

    public static string Ops(IReadOnlyList<FixOp> ops) => string.Join(" + ", ops.Select(o => $"#{o.Index} {o.Type} '{o.Name}'"));
}
