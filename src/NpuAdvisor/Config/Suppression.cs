using NpuAdvisor.Analysis;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Config;

/// <summary>
/// One accepted finding: a rule, optionally only on one target and only on ops whose name matches a glob, and the
/// reason the team gave. A finding it matches is still computed and shown, marked suppressed, and no longer counts for --fail-on.
/// </summary>
public sealed class Suppression
{
    /// <summary>The config file that holds it and its position in "suppressions" (0-based), to name it in messages.</summary>
    public required string ConfigPath { get; init; }
    public required int Index { get; init; }

    public required string Rule { get; init; }
    public string? Target { get; init; }

    /// <summary>Glob on the op name (<see cref="Glob"/>); when set, model-level findings (no op) never match.</summary>
    public string? Op { get; init; }

    public required string Reason { get; init; }

    public bool Matches(Finding f, Target target) =>
        string.Equals(f.Rule.Id, Rule, StringComparison.Ordinal)
        && (Target is null || string.Equals(target.Id, Target, StringComparison.Ordinal))
        && (Op is null || (f.Op is { } op && Glob.Matches(Op, op.Name)));

    /// <summary>"suppressions[2] (rule A9-CONV-STRIDE, target artpec9, op 'stem/*')".</summary>
    public string Describe() =>
        $"suppressions[{Index}] (rule {Rule}{(Target is null ? "" : $", target {Target}")}{(Op is null ? "" : $", op '{Op}'")})";

    /// <summary>What every format says of a suppression that matched nothing.</summary>
    public string StaleWarning() => $"{ConfigPath}: {Describe()} matches no finding; remove it or fix its pattern (its reason: {Reason})";

    public override string ToString() => Describe();
}
