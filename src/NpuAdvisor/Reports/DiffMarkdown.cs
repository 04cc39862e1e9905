using System.Globalization;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using static NpuAdvisor.Reports.MarkdownReport;

namespace NpuAdvisor.Reports;

/// <summary>
/// `diff --format markdown`: a pull-request comment. One summary row per target, then per changed target the
/// placement changes with the rules behind them, findings added/removed, ops added/removed and the layers whose
/// estimate moved most; each list is cut at <c>top</c> entries. Model-derived text goes through
/// <see cref="MarkdownReport.Escape"/>.
/// </summary>
public static class DiffMarkdown
{
    public const int DefaultTop = 10;

    public static void Write(ModelDiff diff, TextWriter w, int top = DefaultTop)
    {
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        var m = diff.Matching;
        w.Write("## npu-advisor diff\n\n");
        w.Write($"**Old:** {Escape(diff.Old.Path)}  \n**New:** {Escape(diff.New.Path)}\n\n");
        w.Write(Inv($"Ops: {m.Count(MatchedBy.Name)} matched by name, {m.Count(MatchedBy.TypeAndPosition)} by type and position, {m.Added.Count} added, {m.Removed.Count} removed.\n\n"));
        if (diff.Targets.Count == 0) { w.Write("No target compared.\n"); return; }

        w.Write("| target | estimate | change | CPU ops | segments | transitions | findings | verdict |\n");
        w.Write("|---|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var t in diff.Targets)
        {
            w.Write($"| {Escape(t.Target.Name)} | {Ms(t.EstimateBeforeMs)} → {Ms(t.EstimateAfterMs)} ms | {Delta(t.DeltaMs)} ms{Percent(t)} | ");
            w.Write(Inv($"{t.CpuOpsBefore} → {t.CpuOpsAfter} | {t.SegmentsBefore} → {t.SegmentsAfter} | {t.TransitionsBefore} → {t.TransitionsAfter} | +{t.FindingsAdded.Count} −{t.FindingsRemoved.Count} | "));
            w.Write($"{Verdict(t)} |\n");
        }
        if (diff.Unchanged) { w.Write("\nNo change on any target.\n"); return; }

        WriteUnmatched(w, "Ops added", m.Added, top);
        WriteUnmatched(w, "Ops removed", m.Removed, top);
        foreach (var t in diff.Targets.Where(t => !t.Unchanged)) WriteTarget(w, t, top);
        w.Write($"\n<sub>{Escape(EstimateJson.Disclaimer)}</sub>\n");
    }

    public static string Render(ModelDiff diff, int top = DefaultTop)
    {
        using var w = new StringWriter();
        Write(diff, w, top);
        return w.ToString();
    }

    /// <summary>"regression: slower, more CPU ops", "faster", "no change"…: the one-word answer a reviewer looks for.</summary>
    public static string Verdict(TargetDiff t)
    {
        if (t.Regressed)
            return "regression: " + string.Join(", ", new[] { t.Slower ? "slower" : null, t.MoreCpuOps ? "more CPU ops" : null }.OfType<string>());
        if (t.Unchanged) return "no change";
        return t.DeltaMs < -TargetDiff.SlowerToleranceMs ? "faster" : "changed, not slower";
    }

    private static void WriteTarget(TextWriter w, TargetDiff t, int top)
    {
        w.Write($"\n### {Escape(t.Target.Name)}\n");
        if (t.Placements.Count > 0)
        {
            w.Write("\n**Placement changes**\n\n");
            foreach (var p in t.Placements.Take(top))
            {
                var rules = p.Reasons.Count == 0 ? "" : " — " + string.Join("; ", p.Reasons.Select(f => $"{Code(f.Rule.Id)} {Escape(f.Message)}"));
                w.Write($"- {Op(p.Op)}: {p.From.Name()} → {p.To.Name()}{rules}\n");
            }
            More(w, t.Placements.Count, top);
        }
        WriteFindings(w, "Findings added", t.FindingsAdded, top);
        WriteFindings(w, "Findings removed", t.FindingsRemoved, top);
        if (t.Layers.Count > 0 || Math.Abs(t.TransitionDeltaMs) >= TargetDiff.SlowerToleranceMs)
        {
            w.Write($"\n**Estimate** {Ms(t.EstimateBeforeMs)} → {Ms(t.EstimateAfterMs)} ms ({Delta(t.DeltaMs)} ms)\n\n");
            w.Write("| layer | before ms | after ms | change ms |\n|---|---:|---:|---:|\n");
            foreach (var l in t.Layers.Take(top))
                w.Write($"| {Layer(l)} | {Ms(l.OldMs)} | {Ms(l.NewMs)} | {Delta(l.DeltaMs)} |\n");
            if (t.Layers.Count > top)
                w.Write(Inv($"| {t.Layers.Count - top} more layers | | | {Delta(t.Layers.Skip(top).Sum(l => l.DeltaMs))} |\n"));
            w.Write(Inv($"| NPU↔CPU transitions ({t.TransitionsBefore} → {t.TransitionsAfter}) | {Ms(t.Before.Estimate!.TransitionMs)} | {Ms(t.After.Estimate!.TransitionMs)} | {Delta(t.TransitionDeltaMs)} |\n"));
        }
    }

    private static void WriteFindings(TextWriter w, string title, IReadOnlyList<FindingChange> findings, int top)
    {
        if (findings.Count == 0) return;
        w.Write(Inv($"\n**{title}** ({findings.Count})\n\n"));
        foreach (var c in findings.Take(top))
        {
            var f = c.Finding;
            w.Write($"- {Code(f.Rule.Id)} {f.Kind.Name()} {(f.Op is { } op ? Op(op) : "model")}: {Escape(f.Message)}\n");
        }
        More(w, findings.Count, top);
    }

    private static void WriteUnmatched(TextWriter w, string title, IReadOnlyList<Operator> ops, int top)
    {
        if (ops.Count == 0) return;
        w.Write(Inv($"\n**{title}** ({ops.Count}): "));
        w.Write(string.Join(", ", ops.Take(top).Select(Op)));
        w.Write(ops.Count > top ? Inv($", … ({ops.Count - top} more)\n") : "\n");
    }

    private static void More(TextWriter w, int count, int top)
    {
        if (count > top) w.Write(Inv($"- … and {count - top} more\n"));
    }

    private static string Layer(LayerDelta l) => l switch
    {
        { Old: { } o, New: { } n } => Op(o, n),
        { New: { } n } => Op(n) + " (added)",
        { Old: { } o } => Op(o) + " (removed)",
        _ => "",
    };

    private static string Op(OpPair p) => Op(p.Old, p.New);

    /// <summary>The NEW op, and the OLD one too where it differs in name or type (matched by type and position, or retyped).</summary>
    private static string Op(Operator old, Operator @new) => old.Name == @new.Name && old.TypeName == @new.TypeName
        ? Op(@new) : $"{Op(@new)} (was {Op(old)})";

    private static string Op(Operator o) =>
        Inv($"op {(o.SubgraphIndex == 0 ? "" : $"{o.SubgraphIndex}:")}{o.Index} {Escape(o.TypeName)} “{Escape(o.Name)}”");

    private static string Code(string id) => "`" + id.Replace("`", "", StringComparison.Ordinal) + "`";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Milliseconds as the diff reports print them: three decimals, invariant culture.</summary>
    public static string Ms(double ms) => ms.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A signed change in milliseconds (+ or U+2212 minus).</summary>
    public static string Delta(double ms) => (ms >= 0 ? "+" : "−") + Math.Abs(ms).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Percent(TargetDiff t) => t.EstimateBeforeMs > 0
        ? " (" + (t.DeltaMs >= 0 ? "+" : "−") + Math.Abs(t.DeltaMs / t.EstimateBeforeMs * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%)"
        : "";
}
