using System.Text;

namespace NpuAdvisor.Tests.Tflite;

/// <summary>
/// Test-only FlatBuffers writer for hand-made models that no shared file covers. It lays objects out
/// front to back (parents before children: uoffsets only need to point forward), writes each node
/// once (a node used twice is shared, as a crafted file would share it) and can append raw bytes
/// after the flatbuffer, the way files over 2 GB store their constants.
/// </summary>
internal sealed class ForwardFlatBufferWriter
{
    internal abstract record Node;
    internal sealed record Table(params (int Id, object Value)[] Fields) : Node;
    internal sealed record Scalars(byte[] Raw, int Count) : Node;
    internal sealed record Tables(params Node[] Items) : Node;
    internal sealed record Str(string Text) : Node;

    public static Scalars Ints(params int[] v) => new(v.SelectMany(BitConverter.GetBytes).ToArray(), v.Length);
    public static Scalars Bytes(params byte[] v) => new(v, v.Length);

    private readonly List<byte> _out = [];
    private readonly Dictionary<Node, int> _written = new(ReferenceEqualityComparer.Instance);

    /// <summary>The file: root offset, identifier, the objects, then <paramref name="trailer"/>.</summary>
    public static byte[] Build(Node root, string identifier = "TFL3", byte[]? trailer = null)
    {
        var w = new ForwardFlatBufferWriter();
        w._out.AddRange(new byte[4]);
        w._out.AddRange(Encoding.ASCII.GetBytes(identifier));
        var rootPos = w.Write(root);
        w.Patch(0, rootPos);
        if (trailer is not null) w._out.AddRange(trailer);
        return [.. w._out];
    }

    private void Patch(int at, int target)
    {
        var bytes = BitConverter.GetBytes(target - at);
        for (var i = 0; i < 4; i++) _out[at + i] = bytes[i];
    }

    private int Write(Node node)
    {
        if (_written.TryGetValue(node, out var existing)) return existing;
        int pos;
        switch (node)
        {
            case Str s:
                pos = _out.Count;
                var text = Encoding.UTF8.GetBytes(s.Text);
                _out.AddRange(BitConverter.GetBytes(text.Length));
                _out.AddRange(text);
                _out.Add(0);
                break;
            case Scalars v:
                pos = _out.Count;
                _out.AddRange(BitConverter.GetBytes(v.Count));
                _out.AddRange(v.Raw);
                break;
            case Tables t:
                pos = _out.Count;
                _out.AddRange(BitConverter.GetBytes(t.Items.Length));
                _out.AddRange(new byte[4 * t.Items.Length]);
                _written[node] = pos;
                for (var i = 0; i < t.Items.Length; i++) Patch(pos + 4 + 4 * i, Write(t.Items[i]));
                return pos;
            case Table t:
                pos = WriteTable(t);
                break;
            default:
                throw new ArgumentException(node.GetType().Name);
        }
        _written[node] = pos;
        return pos;
    }

    private int WriteTable(Table t)
    {
        var maxId = t.Fields.Length == 0 ? -1 : t.Fields.Max(f => f.Id);
        var inline = new List<byte>();
        var fieldOffsets = new ushort[maxId + 1];
        var children = new List<(int InlineAt, Node Child)>();
        foreach (var (id, value) in t.Fields)
        {
            fieldOffsets[id] = (ushort)(4 + inline.Count);
            byte[] raw = value switch
            {
                byte b => [b],
                sbyte sb => [(byte)sb],
                bool bo => [(byte)(bo ? 1 : 0)],
                int i => BitConverter.GetBytes(i),
                uint u => BitConverter.GetBytes(u),
                long l => BitConverter.GetBytes(l),
                ulong ul => BitConverter.GetBytes(ul),
                float f => BitConverter.GetBytes(f),
                Node n => AddChild(children, inline.Count, n),
                _ => throw new ArgumentException(value.GetType().Name),
            };
            inline.AddRange(raw);
        }
        var vtPos = _out.Count;
        _out.AddRange(BitConverter.GetBytes((ushort)(4 + 2 * fieldOffsets.Length)));
        _out.AddRange(BitConverter.GetBytes((ushort)(4 + inline.Count)));
        foreach (var o in fieldOffsets) _out.AddRange(BitConverter.GetBytes(o));
        var pos = _out.Count;
        _out.AddRange(BitConverter.GetBytes(pos - vtPos));
        _out.AddRange(inline);
        _written[t] = pos;
        foreach (var (at, child) in children) Patch(pos + 4 + at, Write(child));
        return pos;
    }

    private static byte[] AddChild(List<(int, Node)> children, int at, Node n)
    {
        children.Add((at, n));
        return new byte[4];
    }
}
