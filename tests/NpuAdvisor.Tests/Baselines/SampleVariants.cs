using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Rewrite;

namespace NpuAdvisor.Tests.Baselines;

/// <summary>The sample model as another export would write it, and with one op more, built with the project's own TFLite writer.</summary>
internal static class SampleVariants
{
    /// <summary>
    /// The same network re-exported with its operators and tensors in another order: every op and tensor index moves,
    /// names, shapes and weights stay. The operator order is a random permutation, not only another topological order.
    /// </summary>
    public static byte[] Shuffled(int seed)
    {
        var g = SampleModel.Build();
        var random = new Random(seed);
        var sg = g.Main;
        var ops = sg.Operators.ToArray();
        var tensors = sg.Tensors.ToArray();
        do random.Shuffle(ops); while (ops.Select((o, i) => o.Index == i).Count(same => same) > 1);
        random.Shuffle(tensors);
        sg.Operators.Clear();
        sg.Operators.AddRange(ops);
        sg.Tensors.Clear();
        sg.Tensors.AddRange(tensors);
        return TfliteExporter.Write(g);
    }

    /// <summary>The sample with a second SOFTMAX after the first (and as the output): one op more that ARTPEC-9 cannot run.</summary>
    public static byte[] WithExtraSoftmax(string name = "head/softmax_extra")
    {
        var g = SampleModel.Build();
        var sg = g.Main;
        var softmax = sg.Operators.Single(o => o.Kind == OpKind.Softmax);
        var input = softmax.Outputs[0];
        var output = new Tensor
        {
            Index = sg.Tensors.Count, Name = name, Type = input.Type, Shape = input.Shape, Quantization = input.Quantization,
        };
        sg.Tensors.Add(output);
        var extra = softmax.With(sg.Operators.Count, [input], [output], softmax.Attributes);
        extra.Name = name;
        sg.Operators.Add(extra);
        sg.Outputs.Clear();
        sg.Outputs.Add(output);
        sg.Link();
        return TfliteExporter.Write(g);
    }
}
