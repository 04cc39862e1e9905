using System.Globalization;
using System.Text;
using NpuAdvisor.Analysis;

namespace NpuAdvisor.Reports;

/// <summary>
/// A compact summary for a pull-request comment: per model one table row per target, then the findings
/// that save the most. Every model-derived string is escaped so it renders as plain text.
/// </summary>
public static class MarkdownReport
{
    public const int DefaultTopFindings = 10;

    public static void Write(IReadOnlyList<(string ModelPath, IReadOnlyList<TargetResult> Results)> models, TextWriter w, int topFindings = DefaultTopFindings)
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

            var all = results.SelectMany(r => r.AllFindings.Select(f => (Target: r.Target, Finding: f)))
                .OrderBy(p => p.Finding.SavesMs is null)
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
                w.Write($"- {saves}**{Escape(target.Name)}** {f.Kind.Name()} `{f.Rule.Id.Replace("`", "", StringComparison.Ordinal)}` {op}: {Escape(f.Message)}. Fix: {Escape(f.Fix)}\n");
            }
        }
    }

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
