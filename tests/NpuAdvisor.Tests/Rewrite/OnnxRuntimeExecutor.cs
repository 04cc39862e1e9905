using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace NpuAdvisor.Tests.Rewrite;

/// <summary>
/// Runs two ONNX models on ONNX Runtime (CPU, graph optimisations off so each runs as written) with the same
/// seeded random float inputs and says whether every output is bit-identical. Skip: the runtime cannot load
/// or run the original, or it has non-float inputs this helper does not generate.
/// </summary>
public static class OnnxRuntimeExecutor
{
    public static Comparison Compare(byte[] original, byte[] rewritten, int seed = 20261204)
    {
        List<(string Name, byte[] Bytes)> a;
        try
        {
            a = Run(original, seed);
        }
        catch (Exception e) when (e is OnnxRuntimeException or NotSupportedException)
        {
            return new Comparison(Verdict.Skip, $"ONNX Runtime cannot run the original: {e.Message.Split('\n')[0]}");
        }
        var b = Run(rewritten, seed);
        if (!a.Select(x => x.Name).SequenceEqual(b.Select(x => x.Name)))
            return new Comparison(Verdict.Differ, $"outputs {string.Join(",", a.Select(x => x.Name))} vs {string.Join(",", b.Select(x => x.Name))}");
        for (var i = 0; i < a.Count; i++)
            if (!a[i].Bytes.AsSpan().SequenceEqual(b[i].Bytes))
                return new Comparison(Verdict.Differ, $"output '{a[i].Name}' differs");
        return new Comparison(Verdict.Identical, $"identical: {a.Count} outputs");
    }

    private static List<(string Name, byte[] Bytes)> Run(byte[] model, int seed)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var rng = new Random(seed);
        var inputs = new List<NamedOnnxValue>();
        foreach (var (name, meta) in session.InputMetadata)
        {
            if (meta.ElementType != typeof(float)) throw new NotSupportedException($"input '{name}' is {meta.ElementType.Name}, not float");
            var dims = meta.Dimensions.Select(d => d < 0 ? 1 : d).ToArray();
            var data = new float[dims.Aggregate(1, (x, y) => x * y)];
            for (var i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 4 - 2);
            inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data, dims)));
        }
        using var results = session.Run(inputs);
        return results.Select(r => (r.Name, MemoryMarshal.AsBytes(r.AsTensor<float>().ToArray().AsSpan()).ToArray())).ToList();
    }
}
