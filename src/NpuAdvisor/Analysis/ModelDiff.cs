using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Analysis;

/// <summary>Two versions of a model compared on the same targets: which op is which, and per target what changed.</summary>
public sealed class ModelDiff
{
    public required Graph Old { get; init; }
    public required Graph New { get; init; }
    public required OpMatching Matching { get; init; }
    public required IReadOnlyList<TargetDiff> Targets { get; init; }

    public bool Regressed => Targets.Any(t => t.Regressed);

    public bool Unchanged => Matching.Added.Count == 0 && Matching.Removed.Count == 0 && Targets.All(t => t.Unchanged);

    /// <summary>Matches the ops of <paramref name="old"/> and <paramref name="new"/>, checks and estimates both on every target, and compares.</summary>
    public static ModelDiff Compare(Graph old, Graph @new, IReadOnlyList<Target> targets, TargetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var matching = OpMatching.Match(old, @new);
        var before = Advisor.Check(old, targets, options);
        var after = Advisor.Check(@new, targets, options);
        return new ModelDiff
        {
            Old = old,
            New = @new,
            Matching = matching,
            Targets = [.. before.Select((b, i) => TargetDiff.Of(matching, b, after[i]))],
        };
    }
}

/// <summary>An op that moved between the NPU and the CPU side, with the unsupported findings on its CPU side (what put it there).</summary>
public sealed record PlacementChange(OpPair Op, Placement From, Placement To, IReadOnlyList<Finding> Reasons)
{
    public bool ToCpu => From.OnNpu() && !To.OnNpu();
}

/// <summary>A finding present in only one version; <see cref="Finding.Op"/> is an op of that version's graph.</summary>
public sealed record FindingChange(Finding Finding, bool InNew);

/// <summary>One layer's estimated time before and after (0 on the side where it does not exist).</summary>
public sealed record LayerDelta(Operator? Old, Operator? New, double OldMs, double NewMs)
{
    public double DeltaMs => NewMs - OldMs;
}

/// <summary>An op only one version has, and where it runs (or ran) on this target.</summary>
public sealed record UnmatchedOp(Operator Op, Placement Placement, double Ms);

/// <summary>What changed on one target between two model versions.</summary>
public sealed class TargetDiff
{
    /// <summary>
    /// Slower means the new total estimate exceeds the old one by more than this (1 ns): any real increase,
    /// but not the last-bit rounding of adding the same per-layer figures in another order.
    /// </summary>
    public const double SlowerToleranceMs = 1e-6;

    public required Target Target { get; init; }
    public required TargetResult Before { get; init; }
    public required TargetResult After { get; init; }
    public required IReadOnlyList<PlacementChange> Placements { get; init; }
    public required IReadOnlyList<FindingChange> FindingsAdded { get; init; }
    public required IReadOnlyList<FindingChange> FindingsRemoved { get; init; }
    public required IReadOnlyList<UnmatchedOp> OpsAdded { get; init; }
    public required IReadOnlyList<UnmatchedOp> OpsRemoved { get; init; }

    /// <summary>Layers whose time changed (by at least <see cref="SlowerToleranceMs"/>), the largest change first.</summary>
    public required IReadOnlyList<LayerDelta> Layers { get; init; }

    /// <summary>
    /// Ops that run on the CPU at inference: ops computed from constants only (a DEQUANTIZE of float16 weights) run once
    /// when the model is prepared and are not counted, as the estimate does not count them.
    /// </summary>
    public int CpuOpsBefore => CpuOps(Before);
    public int CpuOpsAfter => CpuOps(After);
    public int SegmentsBefore => Before.Segments.Count;
    public int SegmentsAfter => After.Segments.Count;
    public int TransitionsBefore => Before.Estimate!.Transitions;
    public int TransitionsAfter => After.Estimate!.Transitions;
    public double EstimateBeforeMs => Before.Estimate!.TotalMs;
    public double EstimateAfterMs => After.Estimate!.TotalMs;
    public double DeltaMs => EstimateAfterMs - EstimateBeforeMs;
    public double TransitionDeltaMs => After.Estimate!.TransitionMs - Before.Estimate!.TransitionMs;

    /// <summary>The part of <see cref="DeltaMs"/> neither the listed layers nor the transitions account for (changes below the listing threshold, fixed overheads).</summary>
    public double OtherDeltaMs => DeltaMs - TransitionDeltaMs - Layers.Sum(l => l.DeltaMs);

    public bool Slower => DeltaMs > SlowerToleranceMs;
    public bool MoreCpuOps => CpuOpsAfter > CpuOpsBefore;
    public bool Regressed => Slower || MoreCpuOps;

    public bool Unchanged => Placements.Count == 0 && FindingsAdded.Count == 0 && FindingsRemoved.Count == 0 && OpsAdded.Count == 0 &&
        OpsRemoved.Count == 0 && Layers.Count == 0 && SegmentsBefore == SegmentsAfter && TransitionsBefore == TransitionsAfter &&
        Math.Abs(DeltaMs) <= SlowerToleranceMs;

    public static TargetDiff Of(OpMatching matching, TargetResult before, TargetResult after)
    {
        ArgumentNullException.ThrowIfNull(matching);
        if (before.Estimate is null || after.Estimate is null) throw new ArgumentException("both results need an estimate");
        var placements = new List<PlacementChange>();
        var layers = new List<LayerDelta>();
        foreach (var pair in matching.Pairs)
        {
            var (b, a) = (before[pair.Old], after[pair.New]);
            if (b.Placement != a.Placement)
            {
                var cpuSide = a.Placement.OnNpu() ? b : a;
                placements.Add(new PlacementChange(pair, b.Placement, a.Placement, [.. cpuSide.Findings.Where(f => f.Kind == RuleKind.Unsupported)]));
            }
            layers.Add(new LayerDelta(pair.Old, pair.New, Ms(before, b), Ms(after, a)));
        }
        var removed = matching.Removed.Select(op => before[op]).Select(r => new UnmatchedOp(r.Op, r.Placement, Ms(before, r))).ToList();
        var added = matching.Added.Select(op => after[op]).Select(r => new UnmatchedOp(r.Op, r.Placement, Ms(after, r))).ToList();
        layers.AddRange(removed.Select(r => new LayerDelta(r.Op, null, r.Ms, 0)));
        layers.AddRange(added.Select(r => new LayerDelta(null, r.Op, 0, r.Ms)));
        var (findingsAdded, findingsRemoved) = CompareFindings(matching, before, after);
        return new TargetDiff
        {
            Target = before.Target,
            Before = before,
            After = after,
            Placements = placements,
            FindingsAdded = findingsAdded,
            FindingsRemoved = findingsRemoved,
            OpsAdded = added,
            OpsRemoved = removed,
            Layers = [.. layers.Where(l => Math.Abs(l.DeltaMs) >= SlowerToleranceMs).OrderByDescending(l => Math.Abs(l.DeltaMs))],
        };
    }

    private static int CpuOps(TargetResult r) => r.Ops.Count(o => !o.Placement.OnNpu() && !r.PrepareTimeOps.Contains(o.Op));

    private static double Ms(TargetResult result, OpResult op) => result.Estimate!.Ops[op.Position].Ms;

    /// <summary>
    /// Findings are the same when they have the same rule on the same layer (or both are model-level); a rule that
    /// fires n times on a layer before and m times after counts |n − m| as added or removed. Messages may differ.
    /// </summary>
    private static (List<FindingChange> Added, List<FindingChange> Removed) CompareFindings(OpMatching matching, TargetResult before, TargetResult after)
    {
        // Key old findings by the op's NEW counterpart where it has one, so both sides key the same layer alike.
        (string, Operator?) OldKey(Finding f) => (f.Rule.Id, f.Op is { } op ? matching.OfOld(op)?.New ?? op : null);
        var old = new Dictionary<(string, Operator?), Queue<Finding>>();
        foreach (var f in before.AllFindings)
        {
            if (!old.TryGetValue(OldKey(f), out var q)) old[OldKey(f)] = q = new Queue<Finding>();
            q.Enqueue(f);
        }
        var added = new List<FindingChange>();
        foreach (var f in after.AllFindings)
        {
            if (old.TryGetValue((f.Rule.Id, f.Op), out var q) && q.Count > 0) q.Dequeue();
            else added.Add(new FindingChange(f, InNew: true));
        }
        var left = old.Values.SelectMany(q => q).ToHashSet();
        var removed = before.AllFindings.Where(left.Contains).Select(f => new FindingChange(f, InNew: false)).ToList();
        return (added, removed);
    }
}
