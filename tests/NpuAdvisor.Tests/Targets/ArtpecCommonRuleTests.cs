using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Targets;

/// <summary>The shared CPU-fallback rules under the ARTPEC-7 and ARTPEC-9 prefixes, and 8-bit tensors without quantization.</summary>
public class ArtpecCommonRuleTests
{
    [Theory]
    [InlineData("artpec7", "A7")]
    [InlineData("artpec9", "A9")]
    public void Unknown_and_sparse_ops_run_on_the_plain_cpu(string id, string prefix)
    {
        var target = TargetRegistry.Find(id)!;
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 16);
        var unknown = b.Activation("unknown", 1, 4, 4, 16);
        b.Main.Operators.Add(new Operator
        {
            Index = b.Main.Operators.Count, SubgraphIndex = 0, Kind = OpKind.Unknown, SourceType = "UNKNOWN(250)",
            Name = "unknown", Inputs = [x], Outputs = [unknown],
        });
        var sparse = b.Conv2D(x, 16, 1, 1, name: "sparse");
        b.Main.Operators.Single(o => o.Outputs.Contains(sparse)).Input(1)!.Sparsity = new SparsityInfo([0, 1], [], ["DENSE", "SPARSE_CSR"]);
        b.Conv2D(x, 16, 1, 1, name: "dense");
        var r = target.RunUnwritten(b);
        r.Op("unknown").OffNpuBy($"{prefix}-UNKNOWN-OP", "UNKNOWN(250)");
        r.Op("unknown").Placement.Should().Be(Placement.Cpu);
        r.Op("sparse").OffNpuBy($"{prefix}-SPARSE-WEIGHTS", "is stored sparse");
        r.Op("sparse").Placement.Should().Be(Placement.Cpu);
        r.Op("dense").OnNpu();
    }

    [Theory]
    [InlineData("artpec7", "A7-DATA-TYPE", "without quantization parameters")]
    [InlineData("artpec9", "A9-DATA-TYPE", "(int8, not quantized) must be UINT8_QUANTIZED or INT8_QUANTIZED")]
    public void Eight_bit_tensors_must_carry_quantization(string id, string rule, string text)
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 16);
        b.Unary(OpKind.Relu, x, "quantized");
        b.Op(OpKind.Relu, [x], [b.Tensor("raw", DataType.Int8, new Shape(1, 4, 4, 16))]);
        var r = TargetRegistry.Find(id)!.Run(b);
        r.Op("quantized").OnNpu();
        r.Op("raw").OffNpuBy(rule, text);
    }
}
