namespace NpuAdvisor.Model;

/// <summary>Large graphs of realistic layers for benchmarks and scaling tests (no file involved).</summary>
public static class SyntheticModels
{
    /// <summary>
    /// MobileNetV2-style inverted-residual blocks (expand 1×1, depthwise 3×3, project 1×1, add) on a
    /// 224×224 input until the graph has at least <paramref name="minOps"/> operators.
    /// </summary>
    public static Graph InvertedResiduals(int minOps = 700)
    {
        var b = new GraphBuilder(seed: 7) { Description = $"synthetic {minOps}-op inverted-residual network" };
        var x = b.Input("input", 1, 224, 224, 3);
        x = b.Conv2D(x, 32, 3, 3, stride: 2, activation: FusedActivation.Relu6, name: "stem");
        var block = 0;
        while (b.Main.Operators.Count < minOps - 2)
        {
            var c = (int)x.Shape[3];
            var stride = block % 8 == 7 && x.Shape[1] > 7 ? 2 : 1;
            var e = b.Conv2D(x, c * 4, 1, 1, activation: FusedActivation.Relu6, name: $"block{block}/expand");
            var d = b.DepthwiseConv2D(e, 3, 3, stride, activation: FusedActivation.Relu6, name: $"block{block}/depthwise");
            var outC = stride == 2 ? Math.Min(c * 2, 320) : c;
            var p = b.Conv2D(d, outC, 1, 1, name: $"block{block}/project");
            x = stride == 1 && outC == c ? b.Binary(OpKind.Add, x, p, $"block{block}/add") : p;
            block++;
        }
        var pooled = b.Mean(x, [1, 2], keepDims: false, name: "head/mean");
        b.Output(b.FullyConnected(pooled, 1000, name: "head/logits"));
        return b.Build();
    }
}
