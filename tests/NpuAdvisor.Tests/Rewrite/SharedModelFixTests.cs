using System.Collections.Concurrent;
using System.Security.Cryptography;
using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Formats;
using NpuAdvisor.Rewrite;
using NpuAdvisor.Targets;
using Xunit;
using Xunit.Abstractions;

namespace NpuAdvisor.Tests.Rewrite;

/// <summary>
/// Acceptance on the shared corpus: for artpec8, artpec9 and amlnn, `fix` never raises the estimate or the
/// unsupported+performance findings, does nothing on its own output, and every rewritten TFLite file runs
/// bit-identically to its original on Arm NN CpuRef (models Arm NN cannot run are skipped by name).
/// Each pass alone is checked the same way.
/// </summary>
public class SharedModelFixTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Cases() =>
        from m in SharedModels.Paths("tflite").Select(p => (string)p[0])
        from t in new[] { "artpec8", "artpec9", "amlnn" }
        from pass in new[] { "all" }.Concat(RewritePasses.All.Select(p => p.Id))
        where pass == "all" || t == "amlnn"
        select new object[] { m, t, pass };

    // Several cases rewrite a model to the same bytes; Arm NN runs once per distinct pair.
    private static readonly ConcurrentDictionary<string, Comparison> Verdicts = new();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fix_never_slows_the_target_and_the_rewrite_is_bit_identical_on_Arm_NN(string model, string target, string pass)
    {
        var path = SharedModels.PathOf(model);
        var t = TargetRegistry.Find(target)!;
        var passes = pass == "all" ? RewritePasses.All.ToList() : [RewritePasses.Find(pass)!];
        using var g = ModelLoader.Load(path);
        var r = Fixer.Run(g, t, new TargetOptions(), passes);
        output.WriteLine($"{model} {target} {pass}: {r.Applied.Count} applied, {r.Declined.Count} declined, {r.Before.EstimateMs:0.000} → {r.After.EstimateMs:0.000} ms"
            + (r.NotWritable is null ? "" : $"; not writable: {r.NotWritable}"));

        r.After.EstimateMs.Should().BeLessThanOrEqualTo(r.Before.EstimateMs + 1e-9);
        r.After.UnsupportedAndPerformance.Should().BeLessThanOrEqualTo(r.Before.UnsupportedAndPerformance);
        if (r.Applied.Count == 0)
        {
            r.Bytes.Should().BeNull();
            return;
        }

        using (var again = ModelFormatsRead(r.Bytes!, g))
            Fixer.Run(again, t, new TargetOptions(), passes).Applied.Should().BeEmpty("fix on its own output applies nothing");

        if (Heavy(r) && Environment.GetEnvironmentVariable("NPU_ADVISOR_WHOLE_MODEL_PROOF") != "1")
        {
            // Arm NN's reference backend needs many minutes for a whole multi-GMAC model, so each rewrite is
            // run on its own region (the boundary tensors it keeps); NPU_ADVISOR_WHOLE_MODEL_PROOF=1 runs the whole model too.
            using var original = ModelLoader.Load(path);
            using var rewritten = ModelWriter.Read(r.Bytes!, original);
            foreach (var site in r.Applied)
            {
                var (a, b) = SiteRegion.Extract(original, rewritten, site);
                var region = Verdicts.GetOrAdd(Convert.ToHexString(SHA256.HashData([.. a, .. b])), _ => ArmNnExecutor.Compare(a, b, runs: 1));
                output.WriteLine($"Arm NN CpuRef on the region of {site.Pass} at {string.Join(" + ", site.Ops.Select(o => "#" + o.Index))}: {region.Verdict}: {region.Detail}");
                region.Verdict.Should().Be(Verdict.Identical, region.Detail);
            }
            return;
        }
        var c = CompareOnce(path, model, r.Bytes!);
        output.WriteLine($"Arm NN CpuRef, original vs rewritten: {c.Verdict}: {c.Detail}");
        if (c.Verdict == Verdict.Skip && pass != "fold-constants" && r.Applied.Any(a => a.Pass == "fold-constants"))
        {
            // Arm NN 20.08 cannot read float16 weights widened at run time. The model with only those widened
            // (exact: every float16 is a float32) is the reference for the other passes then.
            using var g2 = ModelLoader.Load(path);
            var widened = Fixer.Run(g2, t, new TargetOptions(), [RewritePasses.Find("fold-constants")!]);
            widened.Applied.Should().NotBeEmpty();
            var reference = WriteTemp(widened.Bytes!);
            try { c = CompareOnce(reference, model + " (fp16 weights widened)", r.Bytes!); }
            finally { File.Delete(reference); }
            output.WriteLine($"Arm NN CpuRef, original with fp16 weights widened vs rewritten: {c.Verdict}: {c.Detail}");
        }
        if (c.Verdict == Verdict.Skip)
        {
            output.WriteLine($"SKIPPED bit-identity of {model} ({pass} on {target}): {c.Detail}");
            return;
        }
        c.Verdict.Should().Be(Verdict.Identical, c.Detail);
    }

    private const long HeavyMacs = 1_000_000_000;

    private static bool Heavy(FixResult r) => r.Format == "tflite" && r.Before.Macs > HeavyMacs;

    private static Comparison CompareOnce(string reference, string label, byte[] rewritten) =>
        Verdicts.GetOrAdd(Convert.ToHexString(SHA256.HashData(rewritten)) + label, _ =>
        {
            var file = WriteTemp(rewritten);
            try { return ArmNnExecutor.Compare(reference, file, runs: 1); }
            finally { File.Delete(file); }
        });

    private static NpuAdvisor.Model.Graph ModelFormatsRead(byte[] bytes, NpuAdvisor.Model.Graph like) => ModelWriter.Read(bytes, like);

    private static string WriteTemp(byte[] bytes)
    {
        var file = Path.Combine(Path.GetTempPath(), $"npu-advisor-fixed-{Guid.NewGuid():N}.tflite");
        File.WriteAllBytes(file, bytes);
        return file;
    }
}
