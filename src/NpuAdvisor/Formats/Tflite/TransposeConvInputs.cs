using System.Buffers.Binary;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Tflite;

/// <summary>
/// TFLite's TRANSPOSE_CONV takes [output_shape, weights, input, bias?] while the IR keeps
/// [input, weights, bias] (output_shape, if the importer kept it, as a fourth input). This finds the
/// int32 output-shape tensor each op needs in the file: the one the IR carries, else an existing
/// constant with exactly those values (so a read-write cycle adds nothing), else a new constant
/// appended to the subgraph's tensors (file only; the IR graph is not changed).
/// </summary>
internal sealed class TransposeConvInputs
{
    private readonly Dictionary<Tensor, int> _indexOf;
    private readonly Dictionary<Operator, int> _outputShapeOf = new(ReferenceEqualityComparer.Instance);

    public TransposeConvInputs(Subgraph sg, int s, List<Tensor> tensors, Dictionary<Tensor, int> indexOf)
    {
        _indexOf = indexOf;
        for (var i = 0; i < sg.Operators.Count; i++)
        {
            var op = sg.Operators[i];
            if (op.Kind != OpKind.TransposeConv) continue;
            var field = $"subgraphs[{s}].operators[{i}]";
            if (op.Input(3) is { } kept)
            {
                _outputShapeOf[op] = indexOf.TryGetValue(kept, out var k) ? k
                    : throw TfliteExporter.Fail($"tensor '{kept.Name}' is not in its subgraph's tensor list", field + ".inputs[3]");
                continue;
            }
            var output = op.Output(0) ?? throw TfliteExporter.Fail($"TRANSPOSE_CONV '{op.Name}' has no output", field + ".outputs");
            if (!output.Shape.IsFullyKnown)
                throw TfliteExporter.Fail($"TRANSPOSE_CONV '{op.Name}' needs a known output shape to write its output_shape input, got {output.Shape}", field + ".outputs[0]");
            var data = new byte[output.Shape.Rank * 4];
            for (var d = 0; d < output.Shape.Rank; d++)
                BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(d * 4), TfliteExporter.ToInt32(output.Shape[d], $"{field}.outputs[0].shape[{d}]"));
            _outputShapeOf[op] = FindOrAdd(tensors, data, op.Name + "/output_shape");
        }
    }

    private int FindOrAdd(List<Tensor> tensors, byte[] data, string name)
    {
        var match = -1;
        for (var i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (t.Type != DataType.Int32 || t.Shape.Rank != 1 || t.Shape[0] != data.Length / 4 || !t.Data.Span.SequenceEqual(data)) continue;
            if (t.Consumers.Count == 0) return i; // the importer's own, left without a consumer
            if (match < 0) match = i;
        }
        if (match >= 0) return match;
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
        _indexOf[added] = added.Index;
        return added.Index;
    }

    /// <summary>The op's inputs in TFLite order, as tensor indices.</summary>
    public int[] TfliteInputs(Operator op, string field)
    {
        var ir = TfliteExporter.Indices(op.Inputs.Take(3).ToArray(), _indexOf, field + ".inputs");
        if (ir.Length < 2) throw TfliteExporter.Fail($"TRANSPOSE_CONV '{op.Name}' needs an input and weights, has {ir.Length} inputs", field + ".inputs");
        var shape = _outputShapeOf[op];
        return ir.Length == 2 ? [shape, ir[1], ir[0]] : [shape, ir[1], ir[0], ir[2]];
    }
}
