namespace NpuAdvisor.Model;

/// <summary>Memory layout of feature maps in the source: TFLite is NHWC, ONNX is NCHW.</summary>
public enum TensorLayout { Nhwc, Nchw }

public sealed record MetadataEntry(string Name, ReadOnlyMemory<byte> Data);

public sealed record SignatureDef(string Key, int SubgraphIndex, IReadOnlyList<(string Name, int Tensor)> Inputs, IReadOnlyList<(string Name, int Tensor)> Outputs);

/// <summary>
/// A whole model: subgraphs plus file-level facts. Owns the memory the constant data views point
/// into (a memory-mapped file), so dispose it when done.
/// </summary>
public sealed class Graph : IDisposable
{
    /// <summary>"tflite" or "onnx": for reports only; analyses must not branch on it.</summary>
    public required string Format { get; init; }
    public string Path { get; init; } = "";
    public long FileSize { get; init; }
    public string Description { get; init; } = "";

    /// <summary>Schema version (TFLite) or IR version (ONNX).</summary>
    public long Version { get; init; }
    public TensorLayout Layout { get; init; } = TensorLayout.Nhwc;

    /// <summary>
    /// The integer type the source format itself prescribes for constant index parameters (shapes, pads, axes,
    /// repeats), null when each file chooses. ONNX prescribes int64; a converter to TFLite writes those as int32,
    /// so a check modelled on TFLite's runtime must not hold the prescribed type against them.
    /// </summary>
    public DataType? PrescribedIndexType { get; init; }

    public List<Subgraph> Subgraphs { get; } = [];
    public List<MetadataEntry> Metadata { get; } = [];
    public List<SignatureDef> Signatures { get; } = [];

    /// <summary>Format-specific facts worth showing (producer, opset imports…), name → value.</summary>
    public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    public IDisposable? Owner { get; init; }

    public Subgraph Main => Subgraphs[0];

    public IEnumerable<Operator> AllOperators => Subgraphs.SelectMany(s => s.Operators);

    public void Dispose() => Owner?.Dispose();
}
