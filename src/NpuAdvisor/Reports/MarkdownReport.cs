using System.Globalization;
using System.Text;
using NpuAdvisor.Analysis;
using NpuAdvisor.Baselines;
using NpuAdvisor.Config;

namespace NpuAdvisor.Reports;

/// <summary>
/// A compact summary for a pull-request comment: per model one table row per target, then the findings
/// that save the most (new ones first against a baseline), the suppressed findings with their reasons, what the baseline
/// comparison found, and stale suppressions. Every model-derived string is escaped so it renders as plain text.
/// </summary>
public static class MarkdownReport
{
    public const int DefaultTopFindings = 10;

    public static void Write(IReadOnlyList<(string ModelPath, IReadOnlyList<TargetResult> Results)> models, TextWriter w, int topFindings = DefaultTopFindings,
        IReadOnlyList<Suppression>? stale = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentOutOfRangeException.ThrowIfNegative(topFindings);
        w.Write("## npu-advisor\n");
        foreach (var (path, results) in models)
        {
            w.Write($"\n### {Escape(path)}\n\n");
            if (results.Count == 0)
            {
                w.Write("No target analysed.\n");
                continue;
            }
            var estimates = results.Any(r => r.EstimateMs is not null);
            w.Write("| target | NPU ops | NPU MACs | segments | unsupported | performance | accuracy | model |");
            w.Write(estimates ? " estimate |\n" : "\n");
            w.Write("|---|---:|---:|---:|---:|---:|---:|---:|");
            w.Write(estimates ? "---:|\n" : "\n");
            foreach (var r in results)
            {
                var s = r.Summary;
                var k = s.FindingsByKind;
                w.Write(Inv($"| {Escape(r.Target.Name)} | {s.NpuOps}/{s.Ops} ({Percent(s.Ops == 0 ? 0 : (double)s.NpuOps / s.Ops)}) | {(s.TotalMacs == 0 ? "—" : Percent(s.NpuMacFraction))} | {s.Segments} | {k.GetValueOrDefault(RuleKind.Unsupported)} | {k.GetValueOrDefault(RuleKind.Performance)} | {k.GetValueOrDefault(RuleKind.Accuracy)} | {k.GetValueOrDefault(RuleKind.Model)} |"));
                w.Write(estimates ? $" {(r.EstimateMs is { } e ? Ms(e) : "—")} |\n" : "\n");
            }

            WriteBaseline(w, results, topFindings);
            WriteSuppressed(w, results);
            var all = results.SelectMany(r => r.AllFindings.Where(f => f.Suppression is null).Select(f => (Target: r.Target, Finding: f)))
                .OrderBy(p => p.Finding.BaselineState == BaselineState.Unchanged)
                .ThenBy(p => p.Finding.SavesMs is null)
                .ThenByDescending(p => p.Finding.SavesMs ?? 0)
                .ThenBy(p => p.Finding.Kind)
                .ThenBy(p => p.Finding.Op?.SubgraphIndex ?? -1)
                .ThenBy(p => p.Finding.Op?.Index ?? -1)
                .ToList();
            if (all.Count == 0 || topFindings == 0) continue;
            var top = all.Take(topFindings).ToList();
            w.Write($"\n**Top findings**{(all.Count > top.Count ? Inv($" ({top.Count} of {all.Count})") : "")}\n\n");
            foreach (var (target, f) in top)
            {
                var saves = f.SavesMs is { } ms ? $"saves {Ms(ms)} — " : "";
                var op = f.Op is { } o ? Inv($"op {o.Index} {Escape(o.TypeName)} “{Escape(o.Name)}”") : "model";
                var state = f.BaselineState is { } b ? $" ({b.Name()})" : "";
                w.Write($"- {saves}**{Escape(target.Name)}** {f.Kind.Name()} `{Code(f.Rule.Id)}` {op}{state}: {Escape(f.Message)}. Fix: {Escape(f.Fix)}\n");
            }
        }
        if (stale is { Count: > 0 })
        {
            w.Write("\n**Stale suppressions** (they match no finding)\n\n");
            foreach (var s in stale) w.Write($"- {Escape(s.StaleWarning())}\n");
        }
    }

    private static void WriteBaseline(TextWriter w, IReadOnlyList<TargetResult> results, int top)
    {
        if (results.All(r => r.Absent is null)) return;
        var found = results.SelectMany(r => r.AllFindings).ToList();
        var absent = results.SelectMany(r => (r.Absent ?? []).Select(a => (r.Target, Entry: a))).ToList();
        w.Write(Inv($"\nAgainst the baseline: **{found.Count(f => f.BaselineState == BaselineState.New)} new**, {found.Count(f => f.BaselineState == BaselineState.Unchanged)} unchanged, {absent.Sum(a => a.Entry.Count)} absent (fixed since).\n"));
        if (absent.Count == 0 || top == 0) return;
        w.Write("\n**Absent since the baseline**\n\n");
        foreach (var (target, a) in absent.Take(top))
        {
            var op = a.Op is { } name ? $"{Escape(a.OpType ?? "")} “{Escape(name)}”" : "model";
            w.Write($"- **{Escape(target.Name)}** {a.Kind.Name()} `{Code(a.Rule)}` {op}{(a.Count > 1 ? Inv($" ×{a.Count}") : "")}: {Escape(a.Message)}\n");
        }
        if (absent.Count > top) w.Write(Inv($"- … and {absent.Count - top} more\n"));
    }

    private const int MaxNames = 6;

    /// <summary>Suppressed findings grouped by target, rule and reason: deliberate, so listed in full, names capped.</summary>
    private static void WriteSuppressed(TextWriter w, IReadOnlyList<TargetResult> results)
    {
        var groups = results.SelectMany(r => r.AllFindings.Where(f => f.Suppression is not null).Select(f => (r.Target, Finding: f)))
            .GroupBy(x => (x.Target, x.Finding.Rule.Id, x.Finding.Suppression!.Reason)).ToList();
        if (groups.Count == 0) return;
        w.Write(Inv($"\n**Suppressed** ({groups.Sum(g => g.Count())}, not counted for --fail-on)\n\n"));
        foreach (var g in groups)
        {
            var names = g.Select(x => x.Finding.Op?.Name ?? "model").Distinct().ToList();
            var shown = string.Join(", ", names.Take(MaxNames).Select(n => $"“{Escape(n)}”")) + (names.Count > MaxNames ? Inv($", … (+{names.Count - MaxNames})") : "");
            w.Write($"- **{Escape(g.Key.Target.Name)}** `{Code(g.Key.Id)}` {shown}: suppressed — {Escape(g.Key.Reason)}\n");
        }
    }

    /// <summary>Text for a code span: no backtick or line break can end it (baseline rule ids come from a file).</summary>
    private static string Code(string id) => new(id.Where(c => c != '`' && !char.IsControl(c) && c is not ('\u2028' or '\u2029')).ToArray());

    public static string Render(IReadOnlyList<(string ModelPath, IReadOnlyList<TargetResult> Results)> models, int topFindings = DefaultTopFindings)
    {
        using var w = new StringWriter();
        Write(models, w, topFindings);
        return w.ToString();
    }

    /// <summary>
    /// Makes text inert in GitHub-flavoured Markdown: line breaks and bidirectional overrides become spaces, &lt; &gt; &amp; become entities,
    /// and characters that open emphasis, code, links, tables, strike-through, math or headings are backslash-escaped.
    /// </summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '{' or '}' or '|' or '~' or '#' or '!' or '$' or '"':
                    sb.Append('\\').Append(c);
                    break;
                case '\u2028' or '\u2029' or '\u0085' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069':
                    sb.Append(' ');
                    break;
                default:
                    sb.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }
        return sb.ToString();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double f) => (f * 100).ToString(f is > 0 and < 0.001 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + "%";

    private static string Ms(double ms) => ms.ToString(ms >= 100 ? "0" : ms >= 1 ? "0.00" : "G2", CultureInfo.InvariantCulture) + " ms";
}
