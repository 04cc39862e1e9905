using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Rewrite;

namespace NpuAdvisor.Tests.Rewrite;

/// <summary>
/// The part of a model one rewrite replaced, as a model of its own: the site's non-constant inputs become
/// model inputs and the tensors it hands on become model outputs. A rewrite keeps those boundary tensors
/// (and their names), so original and rewritten regions must compute the same outputs; for models too large
/// for the reference backend to run whole, each site is proven on its region instead.
/// </summary>
public static class SiteRegion
{
    public static (byte[] Original, byte[] Rewritten) Extract(Graph original, Graph rewritten, AppliedRewrite site)
    {
        var sg = original.Main;
        var ops = site.Ops.Select(o => sg.Operators.Single(op => op.Index == o.Index)).ToHashSet();
        var inputs = ops.SelectMany(o => o.Inputs).OfType<Tensor>()
            .Where(t => t.Data.IsEmpty && (t.Producer is null || !ops.Contains(t.Producer))).Distinct().Select(t => t.Name).ToList();
        var outputs = ops.SelectMany(o => o.Outputs)
            .Where(t => sg.Outputs.Contains(t) || t.Consumers.Any(c => !ops.Contains(c))).Distinct().Select(t => t.Name).ToList();
        return (Region(original, inputs, outputs), Region(rewritten, inputs, outputs));
    }

    private static byte[] Region(Graph g, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
    {
        var sg = g.Main;
        var byName = sg.Tensors.GroupBy(t => t.Name).ToDictionary(x => x.Key, x => x.First());
        var stop = inputs.Select(n => byName[n]).ToHashSet();
        var needed = new HashSet<Operator>();
        var pending = new Stack<Tensor>(outputs.Select(n => byName[n]));
        while (pending.TryPop(out var t))
        {
            if (stop.Contains(t) || t.Producer is not { } p || !needed.Add(p)) continue;
            foreach (var i in p.Inputs.OfType<Tensor>()) pending.Push(i);
        }
        var region = new Subgraph { Index = 0 };
        region.Operators.AddRange(sg.Operators.Where(needed.Contains));
        var tensors = region.Operators.SelectMany(o => o.Inputs.OfType<Tensor>().Concat(o.Outputs)).Concat(stop).Distinct();
        region.Tensors.AddRange(sg.Tensors.Where(tensors.Contains));
        region.Inputs.AddRange(inputs.Select(n => byName[n]));
        region.Outputs.AddRange(outputs.Select(n => byName[n]));
        var model = new Graph { Format = "tflite", Layout = TensorLayout.Nhwc, Version = 3 };
        model.Subgraphs.Add(region);
        return TfliteExporter.Write(model);
    }
}
