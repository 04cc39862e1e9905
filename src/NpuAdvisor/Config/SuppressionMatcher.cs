using NpuAdvisor.Analysis;

namespace NpuAdvisor.Config;

/// <summary>Marks the findings each model's config accepts and finds the suppressions that accept nothing (stale).</summary>
public static class SuppressionMatcher
{
    /// <summary>
    /// Sets <see cref="Finding.Suppression"/> (the first matching entry of the model's config, in file order) and returns the
    /// stale suppressions: those that matched no finding although a checked target checks their rule. A suppression for a
    /// target the run did not check is not stale, only not evaluated.
    /// </summary>
    public static IReadOnlyList<Suppression> Apply(IEnumerable<(AdvisorConfig Config, IReadOnlyList<TargetResult> Results)> models)
    {
        var list = models.ToList();
        var evaluated = new HashSet<Suppression>();
        var used = new HashSet<Suppression>();
        foreach (var (config, results) in list)
        {
            foreach (var r in results)
            {
                foreach (var s in config.Suppressions)
                    if ((s.Target is null || s.Target == r.Target.Id) && r.Target.Rules.Any(x => x.Id == s.Rule))
                        evaluated.Add(s);
                foreach (var f in r.AllFindings)
                {
                    f.Suppression = config.Suppressions.FirstOrDefault(s => s.Matches(f, r.Target));
                    if (f.Suppression is { } s) used.Add(s);
                }
            }
        }
        return list.Select(m => m.Config).Distinct().SelectMany(c => c.Suppressions)
            .Where(s => evaluated.Contains(s) && !used.Contains(s)).ToList();
    }
}
