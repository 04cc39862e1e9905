using FluentAssertions;
using System.Buffers.Binary;
using System.Text;

namespace NpuAdvisor.Tests.TfliteWrite;

/// <summary>
/// A deliberately tiny FlatBuffer decoder written from the format description, independent of the
/// builder under test: positions are absolute byte offsets from the start of the buffer.
/// </summary>
internal sealed class FbTestReader(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    public int I32(int pos) => BinaryPrimitives.ReadInt32LittleEndian(Bytes.AsSpan(pos));
    public long I64(int pos) => BinaryPrimitives.ReadInt64LittleEndian(Bytes.AsSpan(pos));
    public ushort U16(int pos) => BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(pos));
    public float F32(int pos) => BinaryPrimitives.ReadSingleLittleEndian(Bytes.AsSpan(pos));

    public int Root => I32(0);
    public string Identifier => Encoding.ASCII.GetString(Bytes, 4, 4);

    /// <summary>Follows the uoffset stored at <paramref name="pos"/>.</summary>
    public int Deref(int pos) => pos + I32(pos);

    public int VTable(int table) => table - I32(table);

    /// <summary>Absolute position of field <paramref name="id"/> of the table at <paramref name="table"/>, or -1 when absent.</summary>
    public int Field(int table, int id)
    {
        var vt = VTable(table);
        var vtSize = U16(vt);
        var entry = 4 + 2 * id;
        if (entry + 2 > vtSize) return -1;
        var rel = U16(vt + entry);
        return rel == 0 ? -1 : table + rel;
    }

    public bool Has(int table, int id) => Field(table, id) >= 0;
    public int Int(int table, int id, int dflt = 0) => Field(table, id) is var p and >= 0 ? I32(p) : dflt;
    public long Long(int table, int id, long dflt = 0) => Field(table, id) is var p and >= 0 ? I64(p) : dflt;
    public byte Byte(int table, int id, byte dflt = 0) => Field(table, id) is var p and >= 0 ? Bytes[p] : dflt;
    public float Float(int table, int id, float dflt = 0) => Field(table, id) is var p and >= 0 ? F32(p) : dflt;
    public int Table(int table, int id) => Field(table, id) is var p and >= 0 ? Deref(p) : -1;

    public string? Str(int table, int id)
    {
        var p = Table(table, id);
        if (p < 0) return null;
        var len = I32(p);
        Bytes[p + 4 + len].Should().Be(0, "strings end with a zero byte");
        return Encoding.UTF8.GetString(Bytes, p + 4, len);
    }

    /// <summary>(position of element 0, count) of a vector field; (-1, 0) when absent.</summary>
    public (int Start, int Count) Vector(int table, int id)
    {
        var p = Table(table, id);
        return p < 0 ? (-1, 0) : (p + 4, I32(p));
    }

    public int[] Ints(int table, int id)
    {
        var (s, n) = Vector(table, id);
        return Enumerable.Range(0, n).Select(i => I32(s + 4 * i)).ToArray();
    }

    public long[] Longs(int table, int id)
    {
        var (s, n) = Vector(table, id);
        return Enumerable.Range(0, n).Select(i => I64(s + 8 * i)).ToArray();
    }

    public float[] Floats(int table, int id)
    {
        var (s, n) = Vector(table, id);
        return Enumerable.Range(0, n).Select(i => F32(s + 4 * i)).ToArray();
    }

    public byte[] ByteVector(int table, int id)
    {
        var (s, n) = Vector(table, id);
        return s < 0 ? [] : Bytes.AsSpan(s, n).ToArray();
    }

    /// <summary>Tables referenced by a vector of offsets.</summary>
    public int[] Tables(int table, int id)
    {
        var (s, n) = Vector(table, id);
        return Enumerable.Range(0, n).Select(i => Deref(s + 4 * i)).ToArray();
    }
}
