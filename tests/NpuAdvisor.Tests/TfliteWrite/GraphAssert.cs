using FluentAssertions;
using NpuAdvisor.Model;

namespace NpuAdvisor.Tests.TfliteWrite;

/// <summary>Asserts two IR graphs say the same thing: every field a reader fills, compared by value.</summary>
internal static class GraphAssert
{
    public static void Same(Graph actual, Graph expected)
    {
        actual.Description.Should().Be(expected.Description);
        actual.Version.Should().Be(expected.Version);
        actual.Layout.Should().Be(expected.Layout);
        actual.Metadata.Select(m => m.Name).Should().Equal(expected.Metadata.Select(m => m.Name));
        for (var i = 0; i < expected.Metadata.Count; i++)
            actual.Metadata[i].Data.ToArray().Should().Equal(expected.Metadata[i].Data.ToArray(), $"metadata {expected.Metadata[i].Name}");
        actual.Signatures.Should().BeEquivalentTo(expected.Signatures, o => o.WithStrictOrdering());
        actual.Subgraphs.Should().HaveCount(expected.Subgraphs.Count);
        for (var s = 0; s < expected.Subgraphs.Count; s++)
            Same(actual.Subgraphs[s], expected.Subgraphs[s]);
    }

    private static void Same(Subgraph actual, Subgraph expected)
    {
        actual.Name.Should().Be(expected.Name);
        actual.Tensors.Should().HaveCount(expected.Tensors.Count);
        for (var i = 0; i < expected.Tensors.Count; i++)
            Same(actual.Tensors[i], expected.Tensors[i]);
        Indices(actual.Inputs, actual).Should().Equal(Indices(expected.Inputs, expected));
        Indices(actual.Outputs, actual).Should().Equal(Indices(expected.Outputs, expected));
        actual.Operators.Should().HaveCount(expected.Operators.Count);
        for (var i = 0; i < expected.Operators.Count; i++)
        {
            Operator a = actual.Operators[i], e = expected.Operators[i];
            var what = $"subgraph {expected.Index} op {i} ({e.TypeName} '{e.Name}')";
            a.Kind.Should().Be(e.Kind, what);
            a.SourceType.Should().Be(e.SourceType, what);
            a.CustomCode.Should().Be(e.CustomCode, what);
            a.Version.Should().Be(e.Version, what);
            a.Name.Should().Be(e.Name, what);
            a.CustomOptions.ToArray().Should().Equal(e.CustomOptions.ToArray(), what + " custom options");
            Indices(a.Inputs, actual).Should().Equal(Indices(e.Inputs, expected), what + " inputs");
            Indices(a.Outputs, actual).Should().Equal(Indices(e.Outputs, expected), what + " outputs");
            Indices(a.Intermediates, actual).Should().Equal(Indices(e.Intermediates, expected), what + " intermediates");
            if (e.Attributes is null) a.Attributes.Should().BeNull(what);
            else a.Attributes.Should().BeEquivalentTo(e.Attributes, o => o.RespectingRuntimeTypes().WithStrictOrdering(), what);
        }
    }

    private static void Same(Tensor a, Tensor e)
    {
        var what = $"tensor {e.Index} '{e.Name}'";
        a.Name.Should().Be(e.Name, what);
        a.Type.Should().Be(e.Type, what);
        a.Shape.Should().Be(e.Shape, what);
        (a.ShapeSignature ?? a.Shape).Should().Be(e.ShapeSignature ?? e.Shape, what + " signature");
        a.IsVariable.Should().Be(e.IsVariable, what);
        a.IsConstant.Should().Be(e.IsConstant, what);
        a.Data.ToArray().Should().Equal(e.Data.ToArray(), what + " data");
        Quantization qa = a.Quantization, qe = e.Quantization;
        qa.Scales.Should().Equal(qe.Scales, what + " scales");
        qa.ZeroPoints.Should().Equal(qe.ZeroPoints, what + " zero points");
        qa.Min.Should().Equal(qe.Min, what + " min");
        qa.Max.Should().Equal(qe.Max, what + " max");
        qa.HasCustomDetails.Should().Be(qe.HasCustomDetails, what);
        if (qe.Kind == QuantizationKind.PerAxis) qa.Axis.Should().Be(qe.Axis, what + " quantized dimension");
        (a.Sparsity is null).Should().Be(e.Sparsity is null, what);
    }

    private static int[] Indices(IEnumerable<Tensor?> tensors, Subgraph sg) =>
        tensors.Select(t => t is null ? -1 : sg.Tensors.IndexOf(t)).ToArray();
}
