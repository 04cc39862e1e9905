using NpuAdvisor.Analysis;
using NpuAdvisor.Formats;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Rewrite;

/// <summary>One target's figures for one version of the model.</summary>
public sealed record FixFigures(int Ops, int NpuOps, int Segments, IReadOnlyDictionary<RuleKind, int> FindingsByKind, double EstimateMs, long Macs)
{
    public int UnsupportedAndPerformance => FindingsByKind.GetValueOrDefault(RuleKind.Unsupported) + FindingsByKind.GetValueOrDefault(RuleKind.Performance);

    /// <summary>Equal figures (estimates within 1e-9 ms): what a written model must read back with.</summary>
    public bool SameAs(FixFigures other) =>
        Ops == other.Ops && NpuOps == other.NpuOps && Macs == other.Macs && Segments == other.Segments && Math.Abs(EstimateMs - other.EstimateMs) < 1e-9
        && FindingsByKind.OrderBy(k => k.Key).SequenceEqual(other.FindingsByKind.OrderBy(k => k.Key));

    public static FixFigures Of(TargetResult r)
    {
        var s = r.Summary;
        return new FixFigures(s.Ops, s.NpuOps, s.Segments, s.FindingsByKind, r.Estimate?.TotalMs ?? r.EstimateMs ?? 0, s.TotalMacs);
    }
}

/// <summary>An op as the input model numbers and names it.</summary>
public sealed record FixOp(int Index, string Type, string Name)
{
    public static FixOp Of(Operator op) => new(op.Index, op.TypeName, op.Name);
}

/// <summary>A site a pass rewrote, with the rule findings that went away on the target.</summary>
public sealed record AppliedRewrite(string Pass, string What, IReadOnlyList<FixOp> Ops, IReadOnlyList<string> RulesResolved, double EstimateBeforeMs, double EstimateAfterMs);

/// <summary>A site a pass found but did not rewrite, and why (not exact, slower on the target, not writable).</summary>
public sealed record DeclinedRewrite(string Pass, string What, IReadOnlyList<FixOp> Ops, string Reason);

public sealed class FixResult
{
    public required string TargetId { get; init; }
    public required string Format { get; init; }
    public required IReadOnlyList<string> Passes { get; init; }
    public required FixFigures Before { get; init; }
    public required FixFigures After { get; set; }
    public List<AppliedRewrite> Applied { get; } = [];
    public List<DeclinedRewrite> Declined { get; } = [];

    /// <summary>Why the model could not be written back at all (then nothing is applied).</summary>
    public string? NotWritable { get; set; }

    /// <summary>The rewritten model in the input's format; null when nothing was applied.</summary>
    public byte[]? Bytes { get; set; }
}

/// <summary>
/// Runs the passes over a model for one target until none applies any more. Every site is applied to the
/// working graph, written, read back and analysed; it stays only when the target's estimate does not grow
/// and its unsupported+performance findings do not grow, otherwise it is undone.
/// </summary>
public static class Fixer
{
    private const double Tolerance = 1e-9;

    public static FixResult Run(Graph graph, Target target, TargetOptions options, IReadOnlyList<RewritePass> passes)
    {
        var before = Analyse(graph, target, options);
        var result = new FixResult
        {
            TargetId = target.Id, Format = graph.Format, Passes = passes.Select(p => p.Id).ToList(),
            Before = FixFigures.Of(before), After = FixFigures.Of(before),
        };
        var context = new RewriteContext(ModelWriter.Capabilities(graph), ChannelMultiple(target, options));
        TargetResult current;
        try
        {
            current = AnalyseWritten(graph, target, options, out _);
        }
        catch (ModelFormatException e)
        {
            result.NotWritable = e.Message;
            return result;
        }

        var tried = new HashSet<string>(StringComparer.Ordinal);
        byte[]? bytes = null;
        for (var progress = true; progress;)
        {
            progress = false;
            foreach (var pass in passes)
            {
                // Sites are found afresh after every applied edit: an edit can create or remove sites.
                for (var again = true; again;)
                {
                    again = false;
                    foreach (var site in pass.Sites(graph, context))
                    {
                        var key = pass.Id + ":" + string.Join(",", site.Ops.Select(o => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(o)));
                        if (!tried.Add(key)) continue;
                        var ops = site.Ops.Select(FixOp.Of).ToList();
                        if (site.Apply is null)
                        {
                            result.Declined.Add(new DeclinedRewrite(pass.Id, site.What, ops, site.Declined ?? "declined"));
                            continue;
                        }
                        var snapshot = new GraphSnapshot(graph);
                        site.Apply();
                        graph.Main.Link();
                        TargetResult next;
                        byte[] written;
                        try
                        {
                            next = AnalyseWritten(graph, target, options, out written);
                        }
                        catch (ModelFormatException e)
                        {
                            snapshot.Restore();
                            result.Declined.Add(new DeclinedRewrite(pass.Id, site.What, ops, "the rewritten model cannot be written: " + e.Message));
                            continue;
                        }
                        var was = FixFigures.Of(current);
                        var now = FixFigures.Of(next);
                        if (now.EstimateMs > was.EstimateMs + Tolerance || now.UnsupportedAndPerformance > was.UnsupportedAndPerformance)
                        {
                            snapshot.Restore();
                            var why = now.EstimateMs > was.EstimateMs + Tolerance
                                ? $"{target.Id}'s cost model estimates it slower ({was.EstimateMs:0.000} → {now.EstimateMs:0.000} ms)"
                                : $"it adds unsupported/performance findings on {target.Id} ({was.UnsupportedAndPerformance} → {now.UnsupportedAndPerformance})";
                            result.Declined.Add(new DeclinedRewrite(pass.Id, site.What, ops, why));
                            continue;
                        }
                        result.Applied.Add(new AppliedRewrite(pass.Id, site.What, ops, Resolved(current, next), was.EstimateMs, now.EstimateMs));
                        current = next;
                        bytes = written;
                        progress = again = true;
                        break;
                    }
                }
            }
        }
        if (bytes is not null)
        {
            result.Bytes = bytes;
            result.After = FixFigures.Of(current);
        }
        return result;
    }

    /// <summary>The output-channel multiple the target's rules ask for (ARTPEC-8 filters, ARTPEC-9 channels, AMLNN cores).</summary>
    public static int? ChannelMultiple(Target target, TargetOptions options) => target switch
    {
        Artpec8Target => Artpec8Target.FilterMultiple,
        Artpec9Target => Artpec9Limits.ChannelMultiple,
        AmlnnTarget => options.Cores,
        _ => null,
    };

    /// <summary>Rule ids with fewer findings after than before.</summary>
    private static List<string> Resolved(TargetResult before, TargetResult after)
    {
        var was = before.AllFindings.GroupBy(f => f.Rule.Id).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var now = after.AllFindings.GroupBy(f => f.Rule.Id).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return was.Where(kv => now.GetValueOrDefault(kv.Key) < kv.Value).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
    }

    public static TargetResult Analyse(Graph graph, Target target, TargetOptions options) => Advisor.Check(graph, [target], options)[0];

    /// <summary>Analyses the graph as the written file reads back, so the figures are those of the output.</summary>
    private static TargetResult AnalyseWritten(Graph graph, Target target, TargetOptions options, out byte[] bytes)
    {
        bytes = ModelWriter.Write(graph);
        var reread = ModelWriter.Read(bytes, graph);
        return Analyse(reread, target, options);
    }
}
