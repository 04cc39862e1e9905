using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Tests.Targets;

/// <summary>Helpers for the ARTPEC-7/-9 rule tests: analyse a tiny graph and assert on one op's placement and findings.</summary>
internal static class ArtpecTiny
{
    public static TargetResult Run(this Target target, GraphBuilder b) => target.Analyze(b.BuildTflite());

    /// <summary>For graphs TFLite cannot express (explicit padding as ONNX has it, sparse storage, unknown ops): analysed as built.</summary>
    public static TargetResult RunUnwritten(this Target target, GraphBuilder b) => target.Analyze(b.Build());

    public static OpResult Op(this TargetResult r, string name) => r.Ops.Single(o => o.Op.Name == name);

    public static Finding Fired(this OpResult r, string ruleId)
    {
        r.Findings.Should().Contain(f => f.Rule.Id == ruleId, $"{r.Op} should trigger {ruleId}; findings: {string.Join(" | ", r.Findings)}");
        return r.Findings.First(f => f.Rule.Id == ruleId);
    }

    public static void NotFired(this OpResult r, string ruleId) =>
        r.Findings.Should().NotContain(f => f.Rule.Id == ruleId, $"{r.Op} should not trigger {ruleId}");

    /// <summary>The op leaves the NPU because of <paramref name="ruleId"/>, whose message carries <paramref name="text"/>.</summary>
    public static void OffNpuBy(this OpResult r, string ruleId, string text)
    {
        var f = r.Fired(ruleId);
        f.Kind.Should().Be(RuleKind.Unsupported);
        f.Message.Should().Contain(text);
        r.Placement.Should().NotBe(Placement.Npu);
    }

    public static void OnNpu(this OpResult r)
    {
        r.Findings.Where(f => f.Kind == RuleKind.Unsupported).Should().BeEmpty($"{r.Op} should map; findings: {string.Join(" | ", r.Findings)}");
        r.Placement.Should().Be(Placement.Npu);
    }

    public static Finding ModelFinding(this TargetResult r, string ruleId)
    {
        r.ModelFindings.Should().Contain(f => f.Rule.Id == ruleId, $"model finding {ruleId} expected; got {string.Join(" | ", r.ModelFindings)}");
        return r.ModelFindings.First(f => f.Rule.Id == ruleId);
    }

    public static void NoModelFinding(this TargetResult r, string ruleId) =>
        r.ModelFindings.Should().NotContain(f => f.Rule.Id == ruleId);

    /// <summary>An op with one fresh activation output shaped <paramref name="dims"/>.</summary>
    public static Tensor Apply(this GraphBuilder b, OpKind kind, string name, Tensor?[] inputs, long[] dims, OpAttributes? attributes = null, Quantization? q = null)
    {
        var y = q is null ? b.Activation(name, dims) : b.Tensor(name, b.ActivationType, new Shape(dims), q);
        b.Op(kind, inputs, [y], attributes);
        return y;
    }

    /// <summary>Replaces the attributes of the op that wrote <paramref name="output"/>.</summary>
    public static void Patch(this GraphBuilder b, Tensor output, Func<OpAttributes?, OpAttributes?> change)
    {
        var op = b.Main.Operators.Single(o => o.Outputs.Contains(output));
        op.Attributes = change(op.Attributes);
    }

    public static void AllRulesHaveText(Target t, string prefix)
    {
        t.Rules.Select(r => r.Id).Should().OnlyHaveUniqueItems();
        foreach (var rule in t.Rules)
        {
            rule.Id.Should().StartWith(prefix + "-");
            rule.Summary.Should().NotBeNullOrWhiteSpace();
            rule.Help.Should().NotBeNullOrWhiteSpace();
            rule.Fix.Should().NotBeNullOrWhiteSpace();
            rule.Source.Should().NotBeNullOrWhiteSpace();
        }
    }
}
