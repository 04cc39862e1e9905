using System.Runtime.InteropServices;
using FluentAssertions;
using NpuAdvisor.Formats;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Model;
using NpuAdvisor.Rewrite;
using NpuAdvisor.Targets;
using NpuAdvisor.Tests.Onnx;
using Xunit;
using Xunit.Abstractions;

namespace NpuAdvisor.Tests.Rewrite;

/// <summary>`fix` on ONNX: the ModelProto is edited in place and ONNX Runtime gives bit-identical outputs before and after.</summary>
public sealed class OnnxFixTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("npu-advisor-onnx-fix-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>x → Pad(1 or <paramref name="pad"/>, value <paramref name="padValue"/>) → Conv 3×3 → Identity → Cast(float) → Relu → Dropout → y.</summary>
    private static OnnxModel PadConvChain(long pad = 1, float padValue = 0f)
    {
        var m = new OnnxModel(13).Input("x", 1, 3, 10, 10).Output("y");
        var rng = new Random(5);
        var w = Enumerable.Range(0, 4 * 3 * 3 * 3).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, 4).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        m.Init(OnnxModel.Raw("w", 1, [4, 3, 3, 3], MemoryMarshal.AsBytes(w.AsSpan()).ToArray()));
        m.Init(OnnxModel.Raw("b", 1, [4], MemoryMarshal.AsBytes(b.AsSpan()).ToArray()));
        m.Init(OnnxModel.Int64s("pads", 0, 0, pad, pad, 0, 0, pad, pad));
        m.Init(OnnxModel.Scalar("pad_value", 1, padValue));
        m.Graph.Initializer[^1].Dims.Clear();
        m.Node("Pad", ["x", "pads", "pad_value"], ["xp"], OnnxModel.Str("mode", "constant"));
        m.Node("Conv", ["xp", "w", "b"], ["c"], OnnxModel.Ints("kernel_shape", 3, 3));
        m.Node("Identity", ["c"], ["c_id"]);
        m.Node("Cast", ["c_id"], ["c_cast"], OnnxModel.Int("to", 1));
        m.Node("Relu", ["c_cast"], ["r"]);
        m.Node("Dropout", ["r"], ["y"]);
        return m;
    }

    private (FixResult Result, byte[] Original) Fix(OnnxModel model, string target = "amlnn")
    {
        var path = Path.Combine(_dir.FullName, Guid.NewGuid().ToString("N") + ".onnx");
        var bytes = model.Bytes();
        File.WriteAllBytes(path, bytes);
        using var g = ModelLoader.Load(path);
        return (Fixer.Run(g, TargetRegistry.Find(target)!, new TargetOptions(), RewritePasses.All), bytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Pad_identity_cast_and_dropout_go_and_ONNX_Runtime_outputs_stay_bit_identical(long pad)
    {
        var (r, original) = Fix(PadConvChain(pad));
        r.Applied.Select(a => a.Pass).Should().Contain(["fold-pad", "drop-no-ops"]);
        var after = OnnxImporter.Load(r.Bytes!, "after.onnx");
        after.Main.Operators.Select(o => o.SourceType).Should().Equal("Conv", "Relu");
        after.Main.Operators[0].Attr<ConvAttributes>()!.Padding.Should().Be(new Padding2D(PaddingKind.Explicit, (int)pad, (int)pad, (int)pad, (int)pad));
        after.Main.Outputs.Select(t => t.Name).Should().Equal("y");
        after.Main.Inputs.Select(t => t.Name).Should().Equal("x");
        var c = OnnxRuntimeExecutor.Compare(original, r.Bytes!);
        output.WriteLine($"ONNX Runtime: {c.Verdict} {c.Detail}");
        c.Verdict.Should().Be(Verdict.Identical, c.Detail);

        var path = Path.Combine(_dir.FullName, "fixed.onnx");
        File.WriteAllBytes(path, r.Bytes!);
        using var again = ModelLoader.Load(path);
        Fixer.Run(again, TargetRegistry.Find("amlnn")!, new TargetOptions(), RewritePasses.All).Applied.Should().BeEmpty();
    }

    [Fact]
    public void A_pad_with_a_nonzero_value_is_not_folded()
    {
        var (r, original) = Fix(PadConvChain(1, padValue: 0.25f));
        r.Applied.Select(a => a.Pass).Should().NotContain("fold-pad");
        r.Declined.Should().Contain(d => d.Pass == "fold-pad" && d.Reason.StartsWith("not bit-exact"));
        OnnxRuntimeExecutor.Compare(original, r.Bytes!).Verdict.Should().Be(Verdict.Identical);
    }

    public static IEnumerable<object[]> Corpus() =>
        from m in SharedModels.Paths("onnx").Select(p => (string)p[0])
        from t in new[] { "artpec8", "artpec9", "amlnn" }
        select new object[] { m, t };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Fix_on_the_shared_ONNX_models_never_slows_the_target_and_stays_bit_identical(string model, string target)
    {
        var path = SharedModels.PathOf(model);
        using var g = ModelLoader.Load(path);
        var r = Fixer.Run(g, TargetRegistry.Find(target)!, new TargetOptions(), RewritePasses.All);
        output.WriteLine($"{model} {target}: {r.Applied.Count} applied, {r.Declined.Count} declined, {r.Before.EstimateMs:0.000} → {r.After.EstimateMs:0.000} ms");
        r.After.EstimateMs.Should().BeLessThanOrEqualTo(r.Before.EstimateMs + 1e-9);
        r.After.UnsupportedAndPerformance.Should().BeLessThanOrEqualTo(r.Before.UnsupportedAndPerformance);
        if (r.Applied.Count == 0) { r.Bytes.Should().BeNull(); return; }
        var c = OnnxRuntimeExecutor.Compare(File.ReadAllBytes(path), r.Bytes!);
        if (c.Verdict == Verdict.Skip) { output.WriteLine($"SKIPPED bit-identity of {model} on {target}: {c.Detail}"); return; }
        c.Verdict.Should().Be(Verdict.Identical, c.Detail);
    }
}
