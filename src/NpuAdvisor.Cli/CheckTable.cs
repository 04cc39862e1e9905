using NpuAdvisor.Analysis;
using NpuAdvisor.Baselines;
using NpuAdvisor.Reports;
using Spectre.Console;
using static NpuAdvisor.Cli.CliContext;

namespace NpuAdvisor.Cli;

/// <summary>The human view of `check`: per target a summary line, findings grouped by rule, the per-op table; then comparisons.</summary>
internal static class CheckTable
{
    private const int MaxNames = 6;

    public static void Write(IAnsiConsole c, IReadOnlyList<ModelAnalysis> analyses, bool allOps)
    {
        foreach (var a in analyses)
        {
            c.Write(new Spectre.Console.Rule($"[bold]{Esc(a.Path)}[/]").LeftJustified());
            if (a.Error is not null) { c.MarkupLine($"[red]unreadable:[/] {Esc(a.Error.Message)}"); continue; }
            foreach (var r in a.Results) WriteTarget(c, r, allOps);
            if (a.Results.Count > 1) WriteMatrix(c, a.Results);
            if (a.Results.Any(r => r.Estimate is not null)) c.MarkupLine($"[dim]{Esc(EstimateJson.Disclaimer)}[/]");
        }
        if (analyses.Count > 1) WriteBatch(c, analyses);
    }

    public static string SummaryLine(TargetResult r)
    {
        var s = r.Summary;
        var first = s.FirstCpuOp is { } i ? $"first CPU op #{i} {r.Graph.Main.Operators[i].TypeName} '{r.Graph.Main.Operators[i].Name}'" : "no CPU op";
        var kinds = string.Join(", ", s.FindingsByKind.Where(k => k.Value > 0).Select(k => $"{k.Value} {k.Key.Name()}"));
        var est = r.Estimate is { } e ? $"; est. {e.TotalMs:0.##} ms ({e.LowMs:0.##}–{e.HighMs:0.##})" : "";
        var suppressed = s.Suppressed > 0 ? $", {s.Suppressed} suppressed" : "";
        var baseline = r.Absent is { } absent
            ? $"; baseline: {r.AllFindings.Count(f => f.BaselineState == BaselineState.New)} new, " +
              $"{r.AllFindings.Count(f => f.BaselineState == BaselineState.Unchanged)} unchanged, {absent.Sum(a => a.Count)} absent"
            : "";
        return $"{s.NpuOps}/{s.Ops} ops on NPU ({Pct(s.Ops == 0 ? 0 : (double)s.NpuOps / s.Ops)}), NPU MACs {MacPct(s)}, " +
               $"{s.Segments} segment{(s.Segments == 1 ? "" : "s")}, {first}; findings: {(kinds.Length == 0 ? "none" : kinds)}{suppressed}{baseline}{est}";
    }

    private static void WriteTarget(IAnsiConsole c, TargetResult r, bool allOps)
    {
        c.MarkupLine($"[bold underline]{Esc(r.Target.Name)}[/] {Esc(SummaryLine(r))}");
        // A suppressed finding gets its own dimmed row per reason, so the accepted and the open ones of a rule stay apart.
        var groups = r.AllFindings.GroupBy(f => (f.Rule, f.Suppression?.Reason))
            .OrderBy(g => g.Key.Reason is not null)
            .ThenByDescending(g => g.Sum(f => f.SavesMs ?? 0)).ThenBy(g => g.Key.Rule.Kind).ThenBy(g => g.Key.Rule.Id, StringComparer.Ordinal).ToList();
        var baseline = r.Absent is not null;
        if (groups.Count > 0)
        {
            var t = new Table().Border(TableBorder.Simple).AddColumns("rule", "kind", "n", "ops", "example", "fix");
            if (baseline) t.AddColumn("baseline");
            foreach (var g in groups)
            {
                var names = g.Where(f => f.Op is not null).Select(f => f.Op!.Name).Distinct().ToList();
                var shown = string.Join(", ", names.Take(MaxNames)) + (names.Count > MaxNames ? $", … (+{names.Count - MaxNames})" : "");
                var saves = g.Sum(f => f.SavesMs ?? 0);
                var fix = g.Key.Reason is { } reason ? $"suppressed: {reason}" : g.First().Fix + (saves > 0 ? $" (saves ≈{saves:0.###} ms)" : "");
                var cells = new List<string>
                {
                    Esc(g.Key.Rule.Id), g.Key.Reason is null ? Kind(g.Key.Rule.Kind) : Esc(g.Key.Rule.Kind.Name()), g.Count().ToString(),
                    Esc(names.Count == 0 ? "(model)" : shown), Esc(g.First().Message), Esc(fix),
                };
                if (baseline) cells.Add(States(g));
                t.AddRow(cells.Select(cell => g.Key.Reason is null ? cell : $"[dim]{cell}[/]").ToArray());
            }
            c.Write(t);
        }
        if (r.Absent is { Count: > 0 } absent)
        {
            var t = new Table().Border(TableBorder.Simple).Title("absent since the baseline (fixed)").AddColumns("rule", "kind", "n", "op", "type", "baseline message");
            foreach (var a in absent)
                t.AddRow(Esc(a.Rule), Esc(a.Kind.Name()), a.Count.ToString(), Esc(a.Op ?? "(model)"), Esc(a.OpType ?? ""), Esc(a.Message));
            c.Write(t);
        }
        var ops = r.Ops.Where(o => allOps || o.Findings.Count > 0 || !o.Placement.OnNpu()).ToList();
        if (ops.Count > 0)
        {
            var t = new Table().Border(TableBorder.Simple).AddColumns("sg", "#", "op", "name", "output", "placement", "findings");
            foreach (var o in ops)
                t.AddRow(o.Op.SubgraphIndex.ToString(), o.Op.Index.ToString(), Esc(o.Op.TypeName), Esc(o.Op.Name),
                    Esc(o.Op.Output(0)?.Shape.ToString()), Place(o.Placement),
                    string.Join("; ", o.Findings.Select(OpFinding)));
            c.Write(t);
        }
        c.WriteLine();
    }

    private static string OpFinding(Finding f)
    {
        var text = Esc($"{f.Rule.Id}: {f.Message}");
        if (f.Suppression is { } s) return $"[dim]{text} (suppressed: {Esc(s.Reason)})[/]";
        return f.BaselineState == BaselineState.New ? $"{text} [bold](new)[/]" : text;
    }

    /// <summary>"2 new, 1 unchanged" for a group of findings compared with the baseline.</summary>
    private static string States(IEnumerable<Finding> findings) =>
        string.Join(", ", findings.GroupBy(f => f.BaselineState).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key?.Name()}"));

    private static void WriteMatrix(IAnsiConsole c, IReadOnlyList<TargetResult> results)
    {
        // Summary walks every op and finding: take it once per result, not once per cell or comparison.
        var ranked = results.Select(r => (Result: r, Summary: r.Summary))
            .OrderBy(x => x.Result.EstimateMs ?? double.MaxValue).ThenByDescending(x => x.Summary.NpuMacFraction).ToList();
        var t = new Table().Title("target comparison" + (results.Any(r => r.EstimateMs is not null) ? " (ranked by estimated latency)" : ""))
            .AddColumns("target", "NPU ops", "NPU MACs", "segments", "unsupported", "performance", "accuracy", "model", "est. ms");
        foreach (var (r, s) in ranked)
        {
            t.AddRow(Esc(r.Target.Name), $"{s.NpuOps}/{s.Ops}", MacPct(s), s.Segments.ToString(),
                s.FindingsByKind[RuleKind.Unsupported].ToString(), s.FindingsByKind[RuleKind.Performance].ToString(),
                s.FindingsByKind[RuleKind.Accuracy].ToString(), s.FindingsByKind[RuleKind.Model].ToString(),
                r.EstimateMs is { } ms ? ms.ToString("0.##") : "–");
        }
        c.Write(t);
        c.WriteLine();
    }

    private static void WriteBatch(IAnsiConsole c, IReadOnlyList<ModelAnalysis> analyses)
    {
        var targets = analyses.SelectMany(a => a.Results).Select(r => r.Target).Distinct().ToList();
        var t = new Table().Title("models × targets: NPU ops (NPU MACs)");
        t.AddColumn("model");
        foreach (var target in targets) t.AddColumn(Esc(target.Name));
        foreach (var a in analyses)
        {
            var cells = new List<string> { Esc(Path.GetFileName(a.Path)) };
            foreach (var target in targets)
            {
                var r = a.Results.FirstOrDefault(x => x.Target == target);
                var s = r?.Summary;
                cells.Add(a.Error is not null ? "[red]unreadable[/]" : r is null || s is null ? "" :
                    $"{s.NpuOps}/{s.Ops} ({MacPct(s)})" + (r.EstimateMs is { } ms ? $" {ms:0.#} ms" : ""));
            }
            t.AddRow(cells.ToArray());
        }
        c.Write(t);
    }

    private static string Pct(double f) => $"{f * 100:0.#}%";

    /// <summary>NPU share of MACs, or "–" when no MACs are known (e.g. dynamic shapes).</summary>
    private static string MacPct(TargetSummary s) => s.TotalMacs == 0 ? "–" : Pct(s.NpuMacFraction);

    private static string Kind(RuleKind k) => k switch
    {
        RuleKind.Unsupported => "[red]unsupported[/]",
        RuleKind.Performance => "[yellow]performance[/]",
        RuleKind.Accuracy => "[blue]accuracy[/]",
        _ => "[magenta]model[/]",
    };

    private static string Place(Placement p) => p switch
    {
        Placement.Npu => "[green]npu[/]",
        Placement.Cpu => "[red]cpu[/]",
        _ => "[yellow]cpu-accelerated[/]",
    };
}
