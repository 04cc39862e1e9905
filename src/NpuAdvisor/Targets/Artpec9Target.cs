using NpuAdvisor.Analysis;

namespace NpuAdvisor.Targets;

// PLACEHOLDER until the target's rule table lands; replaced wholesale.
public sealed class Artpec9Target : Target
{
    public override string Id => "artpec9";
    public override string Name => "ARTPEC-9";
    public override string Description => "ARTPEC-9";
    public override IReadOnlyList<Rule> Rules => [];
    protected override void CheckOperator(OpContext ctx) { }
}
