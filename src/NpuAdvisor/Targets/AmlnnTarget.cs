using NpuAdvisor.Analysis;

namespace NpuAdvisor.Targets;

// PLACEHOLDER until the target's rule table lands; replaced wholesale.
public sealed class AmlnnTarget : Target
{
    public override string Id => "amlnn";
    public override string Name => "AMLNN";
    public override string Description => "AMLNN";
    public override IReadOnlyList<Rule> Rules => [];
    protected override void CheckOperator(OpContext ctx) { }
}
