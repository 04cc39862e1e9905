using NpuAdvisor.Analysis;

namespace NpuAdvisor.Targets;

// PLACEHOLDER until the target's rule table lands; replaced wholesale.
public sealed class Artpec8Target : Target
{
    public override string Id => "artpec8";
    public override string Name => "ARTPEC-8";
    public override string Description => "ARTPEC-8";
    public override IReadOnlyList<Rule> Rules => [];
    protected override void CheckOperator(OpContext ctx) { }
}
