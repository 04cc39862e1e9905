using NpuAdvisor.Model;

namespace NpuAdvisor.Analysis;

/// <summary>A rule that fired on the user's model: the op (null for model-level findings) and a message with the op's real numbers.</summary>
public sealed class Finding
{
    public required Rule Rule { get; init; }
    public Operator? Op { get; init; }
    public required string Message { get; init; }
    public required string Fix { get; init; }

    /// <summary>Milliseconds the fix would save by the cost model; null where not estimated.</summary>
    public double? SavesMs { get; set; }

    public RuleKind Kind => Rule.Kind;

    /// <summary>The config entry that accepts this finding; null when none does. A suppressed finding is shown but does not count for --fail-on.</summary>
    public Config.Suppression? Suppression { get; set; }

    /// <summary>New or unchanged against the baseline given with --baseline; null when no baseline was compared.</summary>
    public Baselines.BaselineState? BaselineState { get; set; }

    public override string ToString() => Op is null ? $"{Rule.Id}: {Message}" : $"{Rule.Id} {Op}: {Message}";
}
