using System.Text;

namespace NpuAdvisor.Tests.Reliability;

/// <summary>
/// Writes protobuf bytes nested far deeper than the generated classes can serialise (their writer recurses once per
/// level): lengths are computed inside out, then the bytes are written outside in, so 100,000 levels cost one pass.
/// </summary>
internal static class ProtobufNesting
{
    /// <summary>One level: the fields written before the nested message, then the field number that holds it.</summary>
    public readonly record struct Level(byte[] Lead, int Field);

    public static byte[] Nest(IReadOnlyList<Level> outermostFirst, byte[] innermost)
    {
        var lengths = new long[outermostFirst.Count + 1];
        lengths[^1] = innermost.Length;
        for (var i = outermostFirst.Count - 1; i >= 0; i--)
            lengths[i] = outermostFirst[i].Lead.Length + Tag(outermostFirst[i].Field, 2).Length + Varint((ulong)lengths[i + 1]).Length + lengths[i + 1];
        using var s = new MemoryStream();
        for (var i = 0; i < outermostFirst.Count; i++)
        {
            s.Write(outermostFirst[i].Lead);
            s.Write(Tag(outermostFirst[i].Field, 2));
            s.Write(Varint((ulong)lengths[i + 1]));
        }
        s.Write(innermost);
        return s.ToArray();
    }

    /// <summary>A ModelProto (ir_version 8, opset 13) whose graph field opens <paramref name="graphLevels"/>.</summary>
    public static byte[] ModelWith(IEnumerable<Level> graphLevels, byte[]? innermost = null)
    {
        byte[] opset = [.. Tag(2, 0), .. Varint(13)];
        byte[] header = [.. VarintField(1, 8), .. Tag(8, 2), .. Varint((ulong)opset.Length), .. opset];
        return Nest([new Level(header, 7), .. graphLevels], innermost ?? []);
    }

    /// <summary>
    /// <paramref name="depth"/> control-flow nodes, each the only node of its enclosing graph:
    /// GraphProto.node → NodeProto.attribute → AttributeProto.g → GraphProto.node …
    /// </summary>
    public static IEnumerable<Level> ControlFlow(int depth, string opType, string attribute)
    {
        for (var i = 0; i < depth; i++)
        {
            yield return new Level([], 1);
            yield return new Level([.. StringField(4, opType), .. StringField(1, "c"), .. StringField(2, $"o{i}")], 5);
            yield return new Level([.. StringField(1, attribute), .. VarintField(20, 5)], 6);
        }
    }

    public static byte[] Tag(int field, int wireType) => Varint((ulong)(field << 3 | wireType));

    public static byte[] VarintField(int field, ulong value) => [.. Tag(field, 0), .. Varint(value)];

    public static byte[] StringField(int field, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return [.. Tag(field, 2), .. Varint((ulong)bytes.Length), .. bytes];
    }

    public static byte[] Varint(ulong v)
    {
        var bytes = new List<byte>(10);
        for (; v >= 0x80; v >>= 7) bytes.Add((byte)(v | 0x80));
        bytes.Add((byte)v);
        return [.. bytes];
    }
}
