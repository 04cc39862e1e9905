using NpuAdvisor.Analysis;

namespace NpuAdvisor.Targets;

// PLACEHOLDER until the target's rule table lands; replaced wholesale.
public sealed class Artpec7Target : Target
{
    public override string Id => "artpec7";
    public override string Name => "ARTPEC-7";
    public override string Description => "ARTPEC-7";
    public override IReadOnlyList<Rule> Rules => [];
    protected override void CheckOperator(OpContext ctx) { }
}
