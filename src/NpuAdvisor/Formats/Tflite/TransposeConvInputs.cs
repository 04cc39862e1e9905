using System.Buffers.Binary;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Tflite;

/// <summary>
/// TFLite's TRANSPOSE_CONV needs an int32 output_shape operand. The importer keeps it as the IR's
/// fourth input ([input, weights, bias, output_shape], see <see cref="TfliteInputOrder"/>); graphs
/// built in memory give only [input, weights, bias]. For those this finds an existing constant with
/// exactly the output's shape, or else appends a new constant to the file's tensors (the IR graph is
/// not changed), and hands back the inputs in the IR's four-operand form.
/// </summary>
internal sealed class TransposeConvInputs
{
    private readonly Dictionary<Operator, IReadOnlyList<Tensor?>> _complete = new(ReferenceEqualityComparer.Instance);

    public TransposeConvInputs(Subgraph sg, int s, List<Tensor> tensors, Dictionary<Tensor, int> indexOf)
    {
        for (var i = 0; i < sg.Operators.Count; i++)
        {
            var op = sg.Operators[i];
            if (op.Kind != OpKind.TransposeConv || op.Inputs.Count >= 4) continue;
            var field = $"subgraphs[{s}].operators[{i}]";
            if (op.Inputs.Count < 2)
                throw TfliteExporter.Fail($"TRANSPOSE_CONV '{op.Name}' needs an input and weights, has {op.Inputs.Count} inputs", field + ".inputs");
            var output = op.Output(0) ?? throw TfliteExporter.Fail($"TRANSPOSE_CONV '{op.Name}' has no output", field + ".outputs");
            if (!output.Shape.IsFullyKnown)
                throw TfliteExporter.Fail($"TRANSPOSE_CONV '{op.Name}' needs a known output shape to write its output_shape operand, has {output.Shape}", field + ".outputs[0]");
            var data = new byte[output.Shape.Rank * 4];
            for (var d = 0; d < output.Shape.Rank; d++)
                BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(d * 4), TfliteExporter.ToInt32(output.Shape[d], $"{field}.outputs[0].shape[{d}]"));
            var shape = FindOrAdd(tensors, indexOf, data, op.Name + "/output_shape");
            _complete[op] = [op.Inputs[0], op.Inputs[1], op.Input(2), shape];
        }
    }

    /// <summary>The op's IR inputs, with output_shape as the fourth when the graph did not carry it.</summary>
    public IReadOnlyList<Tensor?> IrInputs(Operator op) => _complete.TryGetValue(op, out var inputs) ? inputs : op.Inputs;

    private static Tensor FindOrAdd(List<Tensor> tensors, Dictionary<Tensor, int> indexOf, byte[] data, string name)
    {
        Tensor? match = null;
        foreach (var t in tensors)
        {
            if (t.Type != DataType.Int32 || t.Shape.Rank != 1 || t.Shape[0] != data.Length / 4 || !t.Data.Span.SequenceEqual(data)) continue;
            if (t.Consumers.Count == 0) return t; // a constant nobody else reads is most likely this op's own
            match ??= t;
        }
        if (match is not null) return match;
        var added = new Tensor
        {
            Index = tensors.Count,
            Name = name,
            Type = DataType.Int32,
            Shape = new Shape(data.Length / 4),
            Data = data,
            IsConstant = true,
        };
        tensors.Add(added);
        indexOf[added] = added.Index;
        return added;
    }
}
