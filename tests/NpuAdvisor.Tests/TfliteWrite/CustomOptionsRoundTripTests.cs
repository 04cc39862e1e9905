using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using Xunit;

namespace NpuAdvisor.Tests.TfliteWrite;

public class CustomOptionsRoundTripTests
{
    [Theory]
    [InlineData("tflite/coral/split_concat_edgetpu.tflite")]
    [InlineData("tflite/coral/mobilenet_v1_0.25_128_quant_edgetpu.tflite")]
    public void Edge_tpu_payload_in_custom_options_survives_a_rewrite(string relative)
    {
        using var original = TfliteImporter.Load(SharedModels.PathOf(relative));
        var op = original.Main.Operators.Single(o => o.Kind == OpKind.Custom);
        op.CustomCode.Should().Be("edgetpu-custom-op");
        op.CustomOptions.Length.Should().BeGreaterThan(1000, "the compiled Edge TPU program lives in the custom options");

        var rewritten = TfliteExporter.Write(original);
        using var back = TfliteImporter.Load(rewritten);
        back.Main.Operators.Single().CustomOptions.ToArray().Should().Equal(op.CustomOptions.ToArray());
        rewritten.Length.Should().BeGreaterThan(op.CustomOptions.Length);
    }
}
