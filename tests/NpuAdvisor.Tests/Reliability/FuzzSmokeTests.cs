using FluentAssertions;
using NpuAdvisor.Fuzz;
using NpuAdvisor.Model;
using Xunit;
using Xunit.Abstractions;

namespace NpuAdvisor.Tests.Reliability;

/// <summary>
/// The AFL harness (<see cref="FuzzPipeline"/>, linked from fuzz/) run in-process over the committed seed
/// corpus and a fixed-seed set of its mutations: a harness or pipeline regression shows in CI without AFL.
/// </summary>
public class FuzzSmokeTests(ITestOutputHelper output)
{
    private const int MutationsPerSeed = 150;

    [Theory]
    [InlineData("tflite")]
    [InlineData("onnx")]
    public void Seeds_and_their_mutations_go_through_the_whole_pipeline_or_raise_ModelFormatException(string harness)
    {
        var seeds = Directory.GetFiles(Path.Combine(SharedModels.RepoRoot, "fuzz", "corpus", harness)).Order(StringComparer.Ordinal).ToList();
        seeds.Should().NotBeEmpty();
        var folder = Directory.CreateTempSubdirectory("npu-advisor-fuzz-smoke-").FullName;
        try
        {
            var random = new Random(15);
            var failures = new List<string>();
            int accepted = 0, refused = 0, rewritten = 0;
            foreach (var seed in seeds)
            {
                var original = File.ReadAllBytes(seed);
                var name = Path.GetFileNameWithoutExtension(seed);
                var outcome = FuzzPipeline.Run(harness, original, folder);
                // external_data.onnx names a weights file the harness folder lacks; every other seed loads, and the fixable one is rewritten.
                if (name == "external_data") outcome.Should().Be(FuzzPipeline.Outcome.Refused, $"seed {name}");
                else outcome.Should().NotBe(FuzzPipeline.Outcome.Refused, $"seed {name}");
                if (name == "fixable") outcome.Should().Be(FuzzPipeline.Outcome.Rewritten, $"seed {name}");
                for (var i = 0; i < MutationsPerSeed; i++)
                {
                    var bytes = Mutate(original, random);
                    try
                    {
                        switch (FuzzPipeline.Run(harness, bytes, folder))
                        {
                            case FuzzPipeline.Outcome.Refused: refused++; break;
                            case FuzzPipeline.Outcome.Rewritten: accepted++; rewritten++; break;
                            default: accepted++; break;
                        }
                    }
                    catch (Exception e) when (e is not ModelFormatException && failures.Count < 5)
                    {
                        failures.Add($"{Path.GetFileName(seed)} mutation {i} ({Convert.ToHexString(bytes)}): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                    }
                }
            }
            output.WriteLine($"{harness}: {seeds.Count} seeds, {accepted} mutants accepted ({rewritten} rewritten by fix), {refused} refused");
            failures.Should().BeEmpty();
            accepted.Should().BePositive("some mutants must get past the importer, or the reports are not exercised");
            rewritten.Should().BePositive("some mutants must be rewritten by fix, or its passes and writer are not exercised");
            refused.Should().BePositive("some mutants must be refused, or the mutations are too timid to test anything");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>AFL's cheap havoc steps: byte overwrite, interesting 32-bit values, insertion, deletion, truncation.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        for (var k = 1 + random.Next(3); k > 0 && bytes.Count > 0; k--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1:
                    var value = Interesting[random.Next(Interesting.Length)];
                    for (var b = 0; b < 4 && at + b < bytes.Count; b++) bytes[at + b] = (byte)(value >> (8 * b));
                    break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                case 3: bytes.RemoveAt(at); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }
        return [.. bytes];
    }

    private static readonly int[] Interesting = [-1, 0, 1, 0x7f, 0xff, 0x7fff, 0xffff, int.MaxValue, int.MinValue];
}
