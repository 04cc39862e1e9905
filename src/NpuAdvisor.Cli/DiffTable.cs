using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using Spectre.Console;
using static NpuAdvisor.Cli.CliContext;
using static NpuAdvisor.Reports.DiffMarkdown;

namespace NpuAdvisor.Cli;

/// <summary>The human view of `diff`: how ops were matched, one summary row per target, then per changed target what changed.</summary>
internal static class DiffTable
{
    public static void Write(IAnsiConsole c, ModelDiff diff, int top)
    {
        var m = diff.Matching;
        c.Write(new Spectre.Console.Rule($"[bold]{Esc(diff.Old.Path)}[/] → [bold]{Esc(diff.New.Path)}[/]").LeftJustified());
        c.MarkupLine($"ops: {m.Count(MatchedBy.Name)} matched by name, {m.Count(MatchedBy.TypeAndPosition)} by type and position, {m.Added.Count} added, {m.Removed.Count} removed");
        var byPosition = m.Pairs.Where(p => p.By == MatchedBy.TypeAndPosition).ToList();
        if (byPosition.Count > 0 && top > 0)
        {
            var t = Titled($"matched by type and position{Cut(byPosition.Count, top)}").AddColumns("old #", "old op", "old name", "new #", "new op", "new name");
            foreach (var p in byPosition.Take(top))
                t.AddRow(p.Old.Index.ToString(), Esc(p.Old.TypeName), Esc(p.Old.Name), p.New.Index.ToString(), Esc(p.New.TypeName), Esc(p.New.Name));
            c.Write(t);
        }
        WriteUnmatched(c, "ops added", m.Added, top);
        WriteUnmatched(c, "ops removed", m.Removed, top);

        var summary = new Table().AddColumns("target", "estimate ms", "change ms", "CPU ops", "segments", "transitions", "findings", "verdict");
        foreach (var t in diff.Targets)
            summary.AddRow(Esc(t.Target.Name), $"{Ms(t.EstimateBeforeMs)} → {Ms(t.EstimateAfterMs)}", Delta(t.DeltaMs),
                $"{t.CpuOpsBefore} → {t.CpuOpsAfter}", $"{t.SegmentsBefore} → {t.SegmentsAfter}", $"{t.TransitionsBefore} → {t.TransitionsAfter}",
                $"+{t.FindingsAdded.Count} −{t.FindingsRemoved.Count}", t.Regressed ? $"[red]{Verdict(t)}[/]" : Verdict(t));
        c.Write(summary);
        foreach (var t in diff.Targets.Where(t => !t.Unchanged)) WriteTarget(c, t, top);
        c.MarkupLine($"[dim]{Esc(EstimateJson.Disclaimer)}[/]");
    }

    private static void WriteTarget(IAnsiConsole c, TargetDiff t, int top)
    {
        c.WriteLine();
        c.MarkupLine($"[bold underline]{Esc(t.Target.Name)}[/] {Ms(t.EstimateBeforeMs)} → {Ms(t.EstimateAfterMs)} ms ({Delta(t.DeltaMs)} ms)");
        if (top == 0) return;
        if (t.Placements.Count > 0)
        {
            var p = Titled($"placement changes{Cut(t.Placements.Count, top)}").AddColumns("#", "op", "name", "placement", "rules");
            foreach (var x in t.Placements.Take(top))
                p.AddRow(x.Op.New.Index.ToString(), Esc(x.Op.New.TypeName), Esc(Named(x.Op.Old, x.Op.New)), $"{x.From.Name()} → {x.To.Name()}",
                    Esc(string.Join("; ", x.Reasons.Select(f => $"{f.Rule.Id}: {f.Message}"))));
            c.Write(p);
        }
        var findings = t.FindingsAdded.Concat(t.FindingsRemoved).ToList();
        if (findings.Count > 0)
        {
            var f = Titled($"findings added / removed{Cut(findings.Count, top)}").AddColumns("", "rule", "kind", "#", "op", "message");
            foreach (var x in findings.Take(top))
                f.AddRow(x.InNew ? "[red]+[/]" : "[green]−[/]", Esc(x.Finding.Rule.Id), x.Finding.Kind.Name(), x.Finding.Op?.Index.ToString() ?? "",
                    Esc(x.Finding.Op is { } op ? $"{op.TypeName} '{op.Name}'" : "(model)"), Esc(x.Finding.Message));
            c.Write(f);
        }
        if (t.Layers.Count > 0 || Math.Abs(t.TransitionDeltaMs) >= TargetDiff.SlowerToleranceMs)
        {
            var l = Titled($"estimate per layer{Cut(t.Layers.Count, top)}").AddColumns("#", "op", "name", "before ms", "after ms", "change ms");
            foreach (var x in t.Layers.Take(top))
            {
                var op = (x.New ?? x.Old)!;
                var name = x is { Old: { } o, New: { } n } ? Named(o, n) : op.Name + (x.New is null ? " (removed)" : " (added)");
                l.AddRow(op.Index.ToString(), Esc(op.TypeName), Esc(name), Ms(x.OldMs), Ms(x.NewMs), Delta(x.DeltaMs));
            }
            if (t.Layers.Count > top) l.AddRow("", "", $"{t.Layers.Count - top} more layers", "", "", Delta(t.Layers.Skip(top).Sum(x => x.DeltaMs)));
            l.AddRow("", "", $"NPU↔CPU transitions ({t.TransitionsBefore} → {t.TransitionsAfter})",
                Ms(t.Before.Estimate!.TransitionMs), Ms(t.After.Estimate!.TransitionMs), Delta(t.TransitionDeltaMs));
            c.Write(l);
        }
    }

    private static void WriteUnmatched(IAnsiConsole c, string title, IReadOnlyList<Operator> ops, int top)
    {
        if (ops.Count == 0 || top == 0) return;
        var t = Titled(title + Cut(ops.Count, top)).AddColumns("sg", "#", "op", "name");
        foreach (var o in ops.Take(top)) t.AddRow(o.SubgraphIndex.ToString(), o.Index.ToString(), Esc(o.TypeName), Esc(o.Name));
        c.Write(t);
    }

    private static Table Titled(string title) => new Table().Border(TableBorder.Simple).Title(title);

    private static string Cut(int count, int top) => count > top ? $" (first {top} of {count})" : "";

    /// <summary>The new name, with the old one where the layer was renamed.</summary>
    private static string Named(Operator old, Operator @new) =>
        old.Name == @new.Name && old.TypeName == @new.TypeName ? @new.Name : $"{@new.Name} (was #{old.Index} {old.TypeName} '{old.Name}')";
}
