using NpuAdvisor.Analysis;

namespace NpuAdvisor.Targets;

// PLACEHOLDER until the target's rule table lands; replaced wholesale.
public sealed class Cv25Target : Target
{
    public override string Id => "cv25";
    public override string Name => "CV25";
    public override string Description => "CV25";
    public override IReadOnlyList<Rule> Rules => [];
    protected override void CheckOperator(OpContext ctx) { }
}
