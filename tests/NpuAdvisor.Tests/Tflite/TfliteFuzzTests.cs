using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using Xunit;
using Xunit.Abstractions;

namespace NpuAdvisor.Tests.Tflite;

/// <summary>
/// Truncated and byte-mutated copies of every shared TFLite model must either parse into a graph
/// that can be fully traversed, or raise <see cref="ModelFormatException"/>; never anything else,
/// and never slowly.
/// </summary>
public class TfliteFuzzTests(ITestOutputHelper output)
{
    private const int Truncations = 64;
    private const int Mutations = 10_000;
    private static readonly TimeSpan MaxParse = TimeSpan.FromSeconds(1);

    private sealed record Outcome(string File, int Parsed, int Rejected, TimeSpan Slowest, List<string> Failures);

    [Fact]
    public void Truncated_and_mutated_models_parse_or_raise_ModelFormatException()
    {
        var files = SharedModels.Entries("tflite").Select(e => e.GetProperty("path").GetString()!).ToList();
        var outcomes = new ConcurrentBag<Outcome>();
        var total = Stopwatch.StartNew();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = 2 }, f => outcomes.Add(Fuzz(f)));
        total.Stop();

        foreach (var o in outcomes.OrderBy(o => o.File))
            output.WriteLine($"{o.File}: {o.Parsed} parsed, {o.Rejected} rejected, slowest {o.Slowest.TotalMilliseconds:F1} ms");
        output.WriteLine($"total {total.Elapsed.TotalSeconds:F1} s");

        outcomes.Should().HaveCount(files.Count);
        outcomes.SelectMany(o => o.Failures).Should().BeEmpty();
        outcomes.Should().OnlyContain(o => o.Slowest < MaxParse);
        // Both outcomes must occur, or the mutations are not reaching the structure.
        outcomes.Should().OnlyContain(o => o.Rejected > 0 && o.Parsed > 0);
    }

    private static Outcome Fuzz(string relative)
    {
        var original = File.ReadAllBytes(SharedModels.PathOf(relative));
        var bytes = (byte[])original.Clone();
        var structure = StructuralOffsets(original);
        var failures = new List<string>();
        int parsed = 0, rejected = 0;
        var slowest = TimeSpan.Zero;

        void Attempt(ReadOnlyMemory<byte> input, string what)
        {
            var sw = Stopwatch.StartNew();
            try
            {
                using var g = TfliteImporter.Load(input, relative);
                Traverse(g);
                parsed++;
            }
            catch (ModelFormatException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                if (failures.Count < 10) failures.Add($"{relative} {what}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
            sw.Stop();
            if (sw.Elapsed > slowest) slowest = sw.Elapsed;
        }

        for (var i = 0; i < Truncations; i++)
        {
            var length = (int)((long)original.Length * i / Truncations);
            Attempt(original.AsMemory(0, length), $"truncated to {length} bytes");
        }

        var rng = new Random(relative.GetHashCode(StringComparison.Ordinal) ^ 0x5EED);
        var touched = new List<int>();
        for (var m = 0; m < Mutations; m++)
        {
            var edits = rng.Next(1, 5);
            for (var e = 0; e < edits; e++)
            {
                // Mostly hit the flatbuffer structure: random bytes inside tensor data rarely matter.
                var pos = rng.Next(10) < 9 ? structure[rng.Next(structure.Length)] : rng.Next(bytes.Length);
                switch (rng.Next(4))
                {
                    case 0:
                        bytes[pos] = (byte)rng.Next(256);
                        touched.Add(pos);
                        break;
                    case 1:
                        bytes[pos] ^= (byte)(1 << rng.Next(8));
                        touched.Add(pos);
                        break;
                    case 2:
                        bytes[pos] = rng.Next(2) == 0 ? (byte)0 : (byte)0xFF;
                        touched.Add(pos);
                        break;
                    default:
                        var at = pos & ~3;
                        if (at + 4 > bytes.Length) break;
                        int[] interesting = [0, 1, -1, 4, int.MaxValue, int.MinValue, 0x10000, rng.Next()];
                        BitConverter.TryWriteBytes(bytes.AsSpan(at, 4), interesting[rng.Next(interesting.Length)]);
                        touched.AddRange([at, at + 1, at + 2, at + 3]);
                        break;
                }
            }
            Attempt(bytes, $"mutation {m}");
            foreach (var p in touched) bytes[p] = original[p];
            touched.Clear();
        }
        return new Outcome(relative, parsed, rejected, slowest, failures);
    }

    /// <summary>Offsets of bytes outside constant tensor and metadata data (the flatbuffer tables, vectors and strings).</summary>
    private static int[] StructuralOffsets(byte[] file)
    {
        var isData = new bool[file.Length];
        using var g = TfliteImporter.Load(file);
        var views = g.Subgraphs.SelectMany(s => s.Tensors).Select(t => t.Data).Concat(g.Metadata.Select(m => m.Data));
        foreach (var v in views)
            if (MemoryMarshal.TryGetArray(v, out var segment))
                Array.Fill(isData, true, segment.Offset, segment.Count);
        return Enumerable.Range(0, file.Length).Where(i => !isData[i]).ToArray();
    }

    /// <summary>What downstream analyses do with a graph; only a detected cycle may raise (ModelFormatException).</summary>
    private static void Traverse(Graph g)
    {
        _ = g.Main;
        _ = g.Scheme();
        foreach (var sg in g.Subgraphs)
        {
            try { _ = sg.TopologicalOrder(); }
            catch (ModelFormatException) { }
            foreach (var op in sg.Operators)
            {
                _ = g.Macs(op);
                _ = op.ParameterBytes();
                _ = op.ActivationBytes();
                _ = op.ToString();
                _ = Metrics.StoredWeights(op.Weights());
                foreach (var t in op.Inputs) _ = g.Logical(t);
                foreach (var t in op.Outputs) _ = g.Logical(t);
                if (op.Attributes is ControlFlowAttributes cf)
                    foreach (var body in cf.BodySubgraphs) _ = g.Subgraphs[body];
            }
            foreach (var t in sg.Tensors)
            {
                _ = t.ToString();
                _ = t.ByteSize;
                // Scanning megabytes of unchanged weights on every mutation would dominate the run; small constants cover the code path.
                if (t.Data.Length <= 4096) _ = Metrics.Sparsity(t);
                _ = t.Quantization.ToString();
                if (t.Quantization.Kind == QuantizationKind.PerAxis && !t.Shape.IsUnknownRank) _ = t.Shape[t.Quantization.Axis];
            }
        }
    }
}
