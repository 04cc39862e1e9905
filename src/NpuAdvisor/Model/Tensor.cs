namespace NpuAdvisor.Model;

/// <summary>Sparse storage of a constant tensor (TFLite SparsityParameters); the analyser only needs its existence and density.</summary>
public sealed record SparsityInfo(IReadOnlyList<int> TraversalOrder, IReadOnlyList<int> BlockMap, IReadOnlyList<string> DimensionFormats);

/// <summary>A tensor of one subgraph. Constant data is a view over the model file (no copy).</summary>
public sealed class Tensor
{
    public required int Index { get; init; }
    public required string Name { get; set; }
    public required DataType Type { get; set; }
    public required Shape Shape { get; set; }

    /// <summary>Shape with -1 for dimensions that are dynamic at run time (TFLite shape_signature, ONNX dim_param).</summary>
    public Shape? ShapeSignature { get; set; }

    public Quantization Quantization { get; set; } = Quantization.None;

    /// <summary>Constant contents; empty when the tensor is computed at run time or an input.</summary>
    public ReadOnlyMemory<byte> Data
    {
        get => _data;
        set { _data = value; ZeroFraction = null; }
    }

    private ReadOnlyMemory<byte> _data;

    /// <summary>Cache for <see cref="Metrics.Sparsity"/>: several targets ask for the same weights.</summary>
    internal (double? Value, long ZeroPoint)? ZeroFraction { get; set; }

    /// <summary>True when the tensor is a compile-time constant (has data, or is marked constant by the source).</summary>
    public bool IsConstant { get; set; }

    /// <summary>A TFLite variable tensor (LSTM state).</summary>
    public bool IsVariable { get; set; }

    public SparsityInfo? Sparsity { get; set; }

    /// <summary>Index into the source's buffer table where it has one; -1 otherwise.</summary>
    public int BufferIndex { get; init; } = -1;

    /// <summary>Operator that writes this tensor; null for inputs and constants.</summary>
    public Operator? Producer { get; internal set; }

    private readonly List<Operator> _consumers = [];
    public IReadOnlyList<Operator> Consumers => _consumers;
    internal void AddConsumer(Operator op) => _consumers.Add(op);
    internal void ClearLinks() { _consumers.Clear(); Producer = null; }

    /// <summary>Bytes of one instance of the tensor (element count × element size); null when the shape is not known.</summary>
    public long? ByteSize => Shape.ElementCount is { } n ? Type.ByteCount(n) : null;

    public override string ToString() => $"{Name} [{Shape}] {Type.Name()}";
}
