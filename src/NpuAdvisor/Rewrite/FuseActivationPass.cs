using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Rewrite;

/// <summary>
/// fuse-activation: a standalone RELU/RELU6/RELU_N1_TO_1 whose producer (conv, depthwise, fully
/// connected or add) has no fused activation and no other reader becomes that producer's fused
/// activation. The fused clamp runs on the producer's output quantization, so in quantized graphs it is
/// exact only when the activation keeps its input's quantization; other sites are declined.
/// </summary>
public sealed class FuseActivationPass : RewritePass
{
    public override string Id => "fuse-activation";
    public override string Summary => "fuse a standalone RELU/RELU6/RELU_N1_TO_1 into the conv/depthwise/fully-connected/add that produces its input";

    public override bool Fixes(Rule rule) => rule.FixKind == FixKind.FuseActivation;

    private static readonly OpKind[] Producers = [OpKind.Conv2D, OpKind.DepthwiseConv2D, OpKind.FullyConnected, OpKind.Add];

    public override IEnumerable<RewriteSite> Sites(Graph graph, RewriteContext context)
    {
        if (!context.Capabilities.FusedActivations) yield break;
        var sg = graph.Main;
        foreach (var act in sg.Operators.ToList())
        {
            if (Fused(act) is not { } fused || act.Inputs.Count != 1 || act.Outputs.Count != 1 || act.Input(0) is not { } x) continue;
            var y = act.Outputs[0];
            if (x.Producer is not { } p || !Producers.Contains(p.Kind) || p.Outputs.Count != 1 || GraphEdit.SoleConsumer(sg, x) != act) continue;
            if (Activation(p) is not { } current || current != FusedActivation.None) continue;
            var what = $"fuse {act.TypeName} into {p.TypeName}";
            if (x.Type != y.Type || !x.Shape.Equals(y.Shape))
            {
                yield return RewriteSite.Decline([p, act], what, $"{act.TypeName} changes type or shape ({x} → {y})");
                continue;
            }
            if (x.Quantization.IsQuantized && !SameQuantization(x.Quantization, y.Quantization))
            {
                yield return RewriteSite.Decline([p, act], what,
                    $"not bit-exact: {act.TypeName} requantizes ({x.Quantization} → {y.Quantization}), a fused activation clamps in the producer's quantization");
                continue;
            }
            yield return new RewriteSite([p, act], what, () =>
            {
                p.Attributes = WithActivation(p, fused);
                p.Outputs = [y];
                GraphEdit.Remove(graph, [act], [x]);
            });
        }
    }

    internal static bool SameQuantization(Quantization a, Quantization b) =>
        a.SameAs(b) && (a.Kind != QuantizationKind.PerAxis || a.Axis == b.Axis);

    private static FusedActivation? Fused(Operator op) => op.Kind switch
    {
        OpKind.Relu => FusedActivation.Relu,
        OpKind.Relu6 => FusedActivation.Relu6,
        OpKind.ReluN1To1 => FusedActivation.ReluN1To1,
        _ => null,
    };

    private static FusedActivation? Activation(Operator p) => p.Attributes switch
    {
        ConvAttributes c => c.Activation,
        FullyConnectedAttributes f => f.Activation,
        ElementwiseAttributes e => e.Activation,
        null when p.Kind == OpKind.Add => FusedActivation.None,
        _ => null,
    };

    private static OpAttributes WithActivation(Operator p, FusedActivation a) => p.Attributes switch
    {
        ConvAttributes c => c with { Activation = a },
        FullyConnectedAttributes f => f with { Activation = a },
        ElementwiseAttributes e => e with { Activation = a },
        _ => new ElementwiseAttributes(a),
    };
}
