namespace NpuAdvisor.Model;

/// <summary>One operator of a subgraph.</summary>
public sealed class Operator
{
    /// <summary>Position in its subgraph's operator list (execution order as stored).</summary>
    public required int Index { get; init; }
    public required int SubgraphIndex { get; init; }
    public required OpKind Kind { get; set; }

    /// <summary>The op name as the source wrote it: CONV_2D, Conv, CUSTOM:TFLite_Detection_PostProcess, UNKNOWN(250)…</summary>
    public required string SourceType { get; init; }

    /// <summary>Custom op code when <see cref="Kind"/> is Custom.</summary>
    public string? CustomCode { get; init; }

    /// <summary>Operator version (TFLite OperatorCode.version) or opset for ONNX; 1 when not recorded.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Display name: the node name, or the first output tensor's name.</summary>
    public required string Name { get; set; }

    /// <summary>Inputs in order; null for an omitted optional input (TFLite -1, ONNX "").</summary>
    public required IReadOnlyList<Tensor?> Inputs { get; set; }
    public required IReadOnlyList<Tensor> Outputs { get; set; }
    public IReadOnlyList<Tensor> Intermediates { get; init; } = [];

    /// <summary>Opaque options of a custom op (TFLite custom_options, e.g. a compiled Edge TPU payload); kept so a rewrite can write the op back intact.</summary>
    public ReadOnlyMemory<byte> CustomOptions { get; init; }

    public OpAttributes? Attributes { get; set; }

    /// <summary>
    /// Where an op's inputs carry their quantization as extra operands (ONNX QOperator: scales and zero points after
    /// data, weights and bias), the first such input; the importer puts them on the tensors' Quantization.
    /// </summary>
    internal int? QuantizationParametersFrom { get; set; }

    /// <summary>Report name: CONV_2D, CUSTOM:code, or the source spelling for unknown ops.</summary>
    public string TypeName => Kind switch
    {
        OpKind.Custom => "CUSTOM:" + (CustomCode ?? ""),
        OpKind.Unknown => SourceType,
        _ => OpKindNames.Of(Kind),
    };

    /// <summary>This op at another position, reading and writing the given tensors; everything else is kept.</summary>
    internal Operator With(int index, IReadOnlyList<Tensor?> inputs, IReadOnlyList<Tensor> outputs, OpAttributes? attributes) => new()
    {
        Index = index,
        SubgraphIndex = SubgraphIndex,
        Kind = Kind,
        SourceType = SourceType,
        CustomCode = CustomCode,
        Version = Version,
        Name = Name,
        Inputs = inputs,
        Outputs = outputs,
        Intermediates = Intermediates,
        CustomOptions = CustomOptions,
        Attributes = attributes,
        QuantizationParametersFrom = QuantizationParametersFrom,
    };

    public Tensor? Input(int i) => i < Inputs.Count ? Inputs[i] : null;
    public Tensor? Output(int i) => i < Outputs.Count ? Outputs[i] : null;

    public T? Attr<T>() where T : OpAttributes => Attributes as T;

    public override string ToString() => $"#{Index} {TypeName} '{Name}'";
}
