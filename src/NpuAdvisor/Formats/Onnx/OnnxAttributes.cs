using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

/// <summary>Typed access to a node's attributes; a value of the wrong attribute type is a format error.</summary>
internal sealed class OnnxAttributes
{
    private readonly Dictionary<string, AttributeProto> _byName = new(StringComparer.Ordinal);
    private readonly string _field;

    public OnnxAttributes(NodeProto node, string field)
    {
        _field = field;
        for (var i = 0; i < node.Attribute.Count; i++)
        {
            var a = node.Attribute[i];
            if (!_byName.TryAdd(a.Name, a))
                throw new ModelFormatException($"attribute '{a.Name}' appears twice", $"{field}.attribute[{i}]");
        }
    }

    public bool Has(string name) => _byName.ContainsKey(name);

    public AttributeProto? Get(string name) => _byName.GetValueOrDefault(name);

    private AttributeProto? Typed(string name, AttributeProto.Types.AttributeType type)
    {
        if (!_byName.TryGetValue(name, out var a)) return null;
        // IR < 2 files may omit the discriminator; accept the field that is present.
        if (a.Type != type && a.Type != AttributeProto.Types.AttributeType.Undefined)
            throw new ModelFormatException($"attribute '{name}' is {a.Type}, expected {type}", $"{_field}.attribute[{name}]");
        return a;
    }

    public long Int(string name, long fallback) => Typed(name, AttributeProto.Types.AttributeType.Int) is { } a ? a.I : fallback;

    public float Float(string name, float fallback) => Typed(name, AttributeProto.Types.AttributeType.Float) is { } a ? a.F : fallback;

    public string String(string name, string fallback) => Typed(name, AttributeProto.Types.AttributeType.String) is { } a ? a.S.ToStringUtf8() : fallback;

    public long[]? Ints(string name) => Typed(name, AttributeProto.Types.AttributeType.Ints) is { } a ? [.. a.Ints] : null;

    public float[]? Floats(string name) => Typed(name, AttributeProto.Types.AttributeType.Floats) is { } a ? [.. a.Floats] : null;

    public TensorProto? Tensor(string name) => Typed(name, AttributeProto.Types.AttributeType.Tensor)?.T;

    public GraphProto? Graph(string name) => Typed(name, AttributeProto.Types.AttributeType.Graph)?.G;

    public int IntAsInt(string name, int fallback)
    {
        var v = Int(name, fallback);
        if (v is < int.MinValue or > int.MaxValue)
            throw new ModelFormatException($"attribute '{name}' = {v} is out of range", $"{_field}.attribute[{name}]");
        return (int)v;
    }
}
