namespace NpuAdvisor.Config;

/// <summary>
/// An npu-advisor.json: the targets and --fail-on level a run takes when the command line names none, and the
/// findings the team has accepted, each with its reason.
/// </summary>
public sealed class AdvisorConfig
{
    public const string FileName = "npu-advisor.json";

    /// <summary>The file it was read from, as the user or the discovery named it.</summary>
    public required string Path { get; init; }

    /// <summary>Target ids (or "all"); null when the file names none.</summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>One of <see cref="FailOn.Levels"/>; null when the file names none.</summary>
    public string? FailOn { get; init; }

    public IReadOnlyList<Suppression> Suppressions { get; init; } = [];
}
