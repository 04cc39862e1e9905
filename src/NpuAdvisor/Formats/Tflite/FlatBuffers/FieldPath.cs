using System.Text;

namespace NpuAdvisor.Formats.Tflite.FlatBuffers;

/// <summary>
/// Where a table sits in the model ("Model.subgraphs[0].tensors[12]"). Built as a linked chain and
/// only turned into text when an error is reported, so parsing a valid file allocates no path strings.
/// </summary>
internal sealed class FieldPath
{
    private readonly FieldPath? _parent;
    private readonly string _name;
    private readonly int _index;

    private FieldPath(FieldPath? parent, string name, int index)
    {
        _parent = parent;
        _name = name;
        _index = index;
    }

    public static FieldPath Root(string name) => new(null, name, -1);

    public FieldPath Field(string name) => new(this, name, -1);

    public FieldPath Element(string vectorName, int index) => new(this, vectorName, index);

    /// <summary>Text of this path followed by a field name that was not given a node of its own.</summary>
    public string With(string? field)
    {
        var sb = new StringBuilder();
        Append(sb);
        if (!string.IsNullOrEmpty(field)) sb.Append('.').Append(field);
        return sb.ToString();
    }

    private void Append(StringBuilder sb)
    {
        if (_parent is not null)
        {
            _parent.Append(sb);
            sb.Append('.');
        }
        sb.Append(_name);
        if (_index >= 0) sb.Append('[').Append(_index).Append(']');
    }

    public override string ToString() => With(null);
}
