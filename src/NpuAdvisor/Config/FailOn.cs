using NpuAdvisor.Analysis;
using NpuAdvisor.Baselines;

namespace NpuAdvisor.Config;

/// <summary>The `--fail-on` levels (also the config's "fail_on"), and which findings meet each.</summary>
public static class FailOn
{
    public const string None = "none";

    public static IReadOnlyList<string> Levels { get; } = [None, "unsupported", "performance", "any"];

    /// <summary>Whether a finding of <paramref name="kind"/> meets <paramref name="level"/>: performance also takes unsupported.</summary>
    public static bool Fails(RuleKind kind, string level) => level switch
    {
        "unsupported" => kind == RuleKind.Unsupported,
        "performance" => kind is RuleKind.Unsupported or RuleKind.Performance,
        "any" => true,
        _ => false,
    };

    /// <summary>A finding counts when it meets the level, is not suppressed, and is not already in the baseline.</summary>
    public static bool Counts(Finding f, string level) =>
        f.Suppression is null && f.BaselineState != BaselineState.Unchanged && Fails(f.Kind, level);
}
