using NpuAdvisor.Analysis;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Baselines;

/// <summary>A finding against the baseline: already there (unchanged) or not (new). Baseline entries no finding matches are absent.</summary>
public enum BaselineState { New, Unchanged }

public static class BaselineStateNames
{
    /// <summary>The SARIF baselineState spelling, used in every format: new, unchanged.</summary>
    public static string Name(this BaselineState s) => s == BaselineState.New ? "new" : "unchanged";
}

/// <summary>
/// What identifies a finding across re-exports of the same model: target, rule, op type and op name. Op index, tensor
/// indices, byte offsets and the message (its numbers change with retraining) are left out. Model-level findings have
/// no op type or name: such a finding is its target and rule.
/// </summary>
public readonly record struct FindingKey(string Target, string Rule, string? OpType, string? Op)
{
    public static FindingKey Of(Finding f, Target target) => new(target.Id, f.Rule.Id, f.Op?.TypeName, f.Op?.Name);
}

/// <summary>
/// One fingerprint of the baseline and how many findings had it (a rule can fire twice on one op, and op names repeat).
/// Kind and message are kept to describe the entry once the finding is gone; they do not take part in matching.
/// </summary>
public sealed record BaselineEntry(string Target, string Rule, RuleKind Kind, string? OpType, string? Op, string Message, int Count)
{
    public FindingKey Key => new(Target, Rule, OpType, Op);
}

/// <summary>The findings of one model when the baseline was written; <see cref="File"/> (the file name) only breaks ties.</summary>
public sealed record BaselineModel(string File, IReadOnlyList<BaselineEntry> Findings);
