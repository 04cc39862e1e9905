using NpuAdvisor.Analysis;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Tests.Reports;

/// <summary>
/// A target with no rules: every op stays on the NPU and the only findings are the ones a test adds. Report
/// tests that count findings, rows or segments run on these so that the real targets' rule tables (which
/// grow and change on their own branches) cannot change what the tests expect.
/// </summary>
internal sealed class QuietTarget(string id, string name) : Target
{
    public override string Id { get; } = id;
    public override string Name { get; } = name;
    public override string Description => $"{Name}: report-test target that checks nothing";
    public override IReadOnlyList<Rule> Rules { get; } = [];

    protected override void CheckOperator(OpContext ctx) { }

    /// <summary>Three quiet targets: the report tests plant findings on the first two and leave the third clean.</summary>
    public static IReadOnlyList<Target> Three { get; } =
        [new QuietTarget("quiet-a", "Quiet A"), new QuietTarget("quiet-b", "Quiet B"), new QuietTarget("quiet-c", "Quiet C")];
}
