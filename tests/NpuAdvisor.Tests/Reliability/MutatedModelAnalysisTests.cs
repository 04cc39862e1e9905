using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Analysis.Cost;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Reliability;

/// <summary>
/// A corrupt file that still parses must go through every target's check, estimate and what-if without any
/// exception but <see cref="ModelFormatException"/>, and without running out of memory: attribute values
/// (kernel sizes, strides, dimensions) come from the file.
/// </summary>
public class MutatedModelAnalysisTests
{
    private const int MutationsPerFile = 200;

    public static IEnumerable<object[]> Models() => SharedModels.Paths("tflite").Concat(SharedModels.Paths("onnx"));

    [Theory]
    [MemberData(nameof(Models))]
    public void Mutated_models_that_parse_are_checked_and_estimated_on_every_target(string relative)
    {
        var original = File.ReadAllBytes(SharedModels.PathOf(relative));
        var random = new Random(relative.Length * 7919 + original.Length);
        // Metadata sits in the first and last 64 KiB of these files; weights in between only change numbers.
        var window = Math.Min(original.Length, 64 * 1024);
        var failures = new List<string>();
        var analysed = 0;
        for (var i = 0; i < MutationsPerFile; i++)
        {
            var bytes = (byte[])original.Clone();
            for (var k = 1 + random.Next(4); k > 0; k--)
            {
                var at = random.Next(2) == 0 ? random.Next(window) : original.Length - 1 - random.Next(window);
                bytes[at] = (byte)random.Next(256);
            }
            Graph g;
            try { g = relative.EndsWith(".onnx", StringComparison.Ordinal) ? OnnxImporter.Load(bytes, relative) : TfliteImporter.Load(bytes, relative); }
            catch (ModelFormatException) { continue; }
            using (g)
            {
                try
                {
                    foreach (var r in Advisor.Check(g, TargetRegistry.All))
                        r.EstimateMs.Should().NotBeNull();
                    analysed++;
                }
                catch (ModelFormatException) { }
                catch (Exception e) when (failures.Count < 5)
                {
                    failures.Add($"mutation {i}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                }
            }
        }
        failures.Should().BeEmpty();
        analysed.Should().BePositive("some mutations must parse, or this test checks nothing");
    }

    [Fact]
    public void An_absurd_kernel_size_is_not_priced_as_a_hundred_stacked_layers()
    {
        var b = new GraphBuilder();
        b.Conv2D(b.Input("x", 1, 16, 16, 8), 8, 5, 5, name: "conv");
        var g = b.Build();
        var conv = g.Main.Operators.Single(o => o.Name == "conv");
        conv.Attributes = conv.Attr<ConvAttributes>()! with { KernelH = 201, KernelW = 201 }; // 100 stacked layers: over the limit, yet small enough to fail cleanly
        var target = TargetRegistry.Find("amlnn")!;
        var r = target.Analyze(g);
        var finding = new Finding
        {
            Rule = new Rule("TEST-KERNEL", RuleKind.Performance, "s", "h", "f", "t", FixKind.UseSmallKernel),
            Op = conv, Message = "m", Fix = "f",
        };
        r.Ops.Single(o => o.Op == conv).Findings.Add(finding);
        WhatIf.Variants(CostModel.For(target), r, finding).Should().BeEmpty(
            $"more than {WhatIf.MaxStackedLayers} stacked 3×3 layers is not a fix to price");
    }
}
