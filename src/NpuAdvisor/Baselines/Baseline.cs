using NpuAdvisor.Analysis;

namespace NpuAdvisor.Baselines;

/// <summary>
/// The findings of a `check` run kept to compare later runs with (`--write-baseline`, `--baseline`). Per model, a
/// multiset of <see cref="FindingKey"/>s. Models are matched to baseline entries by the findings they share, not by
/// path, so renaming or moving a model file keeps its baseline: the pair sharing most fingerprints first, then equal
/// file names, then a lone leftover on each side.
/// </summary>
public sealed class Baseline
{
    public const int FormatVersion = 1;

    public required IReadOnlyList<BaselineModel> Models { get; init; }

    public static Baseline From(IEnumerable<(string ModelPath, IReadOnlyList<TargetResult> Results)> models) => new()
    {
        Models = models.Select(m => new BaselineModel(Path.GetFileName(m.ModelPath), Entries(m.Results))).ToList(),
    };

    private static List<BaselineEntry> Entries(IReadOnlyList<TargetResult> results) =>
        results.SelectMany(r => r.AllFindings.Select(f => (Key: FindingKey.Of(f, r.Target), Finding: f)))
            .GroupBy(x => x.Key)
            .Select(g => new BaselineEntry(g.Key.Target, g.Key.Rule, g.First().Finding.Kind, g.Key.OpType, g.Key.Op, g.First().Finding.Message, g.Count()))
            .OrderBy(e => e.Target, StringComparer.Ordinal).ThenBy(e => e.Rule, StringComparer.Ordinal)
            .ThenBy(e => e.OpType ?? "", StringComparer.Ordinal).ThenBy(e => e.Op ?? "", StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Sets every finding's <see cref="Finding.BaselineState"/> and every result's <see cref="TargetResult.Absent"/>. Of the
    /// findings sharing a fingerprint, the first (in op order) as many as the baseline counted are unchanged, the rest new.
    /// Absent entries are listed only for targets the run checked; a baseline model no checked model matches is left out.
    /// </summary>
    public void Compare(IReadOnlyList<(string ModelPath, IReadOnlyList<TargetResult> Results)> models)
    {
        var pairs = Pair(models);
        for (var i = 0; i < models.Count; i++)
        {
            var baseline = pairs[i] is { } j ? Models[j].Findings : [];
            var remaining = new Dictionary<FindingKey, int>();
            foreach (var e in baseline) remaining[e.Key] = remaining.GetValueOrDefault(e.Key) + e.Count;
            foreach (var r in models[i].Results)
            {
                foreach (var f in r.AllFindings)
                {
                    var key = FindingKey.Of(f, r.Target);
                    var left = remaining.GetValueOrDefault(key);
                    f.BaselineState = left > 0 ? BaselineState.Unchanged : BaselineState.New;
                    if (left > 0) remaining[key] = left - 1;
                }
            }
            foreach (var r in models[i].Results)
                r.Absent = baseline.Where(e => e.Target == r.Target.Id && remaining.GetValueOrDefault(e.Key) > 0)
                    .Select(e => e with { Count = remaining[e.Key] }).ToList();
        }
    }

    /// <summary>For each checked model, the index of its baseline model or null.</summary>
    private int?[] Pair(IReadOnlyList<(string ModelPath, IReadOnlyList<TargetResult> Results)> models)
    {
        var current = models.Select(m => Entries(m.Results).ToDictionary(e => e.Key, e => e.Count)).ToList();
        var names = models.Select(m => Path.GetFileName(m.ModelPath)).ToList();
        var pairs = new int?[models.Count];
        var taken = new bool[Models.Count];

        var byOverlap = from i in Enumerable.Range(0, models.Count)
                        from j in Enumerable.Range(0, Models.Count)
                        let shared = Models[j].Findings.Sum(e => Math.Min(e.Count, current[i].GetValueOrDefault(e.Key)))
                        where shared > 0
                        orderby shared descending, names[i] == Models[j].File descending, i, j
                        select (i, j);
        foreach (var (i, j) in byOverlap.ToList())
            if (pairs[i] is null && !taken[j]) { pairs[i] = j; taken[j] = true; }

        for (var i = 0; i < models.Count; i++)
        {
            if (pairs[i] is not null) continue;
            var j = Enumerable.Range(0, Models.Count).FirstOrDefault(j => !taken[j] && Models[j].File == names[i], -1);
            if (j >= 0) { pairs[i] = j; taken[j] = true; }
        }

        var lonelyModels = Enumerable.Range(0, models.Count).Where(i => pairs[i] is null).ToList();
        var lonelyEntries = Enumerable.Range(0, Models.Count).Where(j => !taken[j]).ToList();
        if (lonelyModels.Count == 1 && lonelyEntries.Count == 1) pairs[lonelyModels[0]] = lonelyEntries[0];
        return pairs;
    }
}
