using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Tflite.FlatBuffers;

/// <summary>
/// A FlatBuffers buffer read in place: every offset and length is checked against the buffer before
/// use, and a work budget proportional to the buffer size bounds what a crafted file can make us read
/// (tables and vectors shared many times over). Nesting depth needs no separate limit because the
/// callers walk a fixed schema and never follow offsets recursively.
/// </summary>
internal sealed class FlatBuffer
{
    /// <summary>Work units (elements, string bytes, table bytes) allowed per byte of buffer, plus a floor for tiny files.</summary>
    private const long BudgetPerByte = 8;
    private const long BudgetFloor = 1 << 20;

    private long _budget;

    public FlatBuffer(ReadOnlyMemory<byte> memory)
    {
        Memory = memory;
        _budget = BudgetFloor + BudgetPerByte * memory.Length;
    }

    public ReadOnlyMemory<byte> Memory { get; }
    public int Length => Memory.Length;
    public ReadOnlySpan<byte> Span => Memory.Span;

    public ModelFormatException Error(string message, FieldPath path, string? field, long offset) =>
        new(message, path.With(field), offset);

    /// <summary>Charges <paramref name="units"/> of work; throws once the budget for this buffer is spent.</summary>
    public void Charge(long units, FieldPath path, string? field, long offset)
    {
        _budget -= units;
        if (_budget < 0)
            throw Error("the model refers to more data than the file holds (shared or overlapping structures)", path, field, offset);
    }

    /// <summary>File identifier (bytes 4..8) as text, or null when the buffer is too short.</summary>
    public string? Identifier => Length >= 8 ? Encoding.ASCII.GetString(Span.Slice(4, 4)) : null;

    /// <summary>The root table: the uoffset at byte 0.</summary>
    public FbTable Root(FieldPath path)
    {
        if (Length < 8) throw Error($"file is {Length} bytes, too small for a FlatBuffer", path, null, 0);
        return TableAt(ReadUOffsetTarget(0, path, null), path);
    }

    /// <summary>Follows the uoffset stored at <paramref name="at"/>; the target must leave room for a 4-byte header.</summary>
    /// <remarks><paramref name="index"/> ≥ 0 names element <paramref name="index"/> of vector <paramref name="field"/>; the text is only built for an error.</remarks>
    internal int ReadUOffsetTarget(int at, FieldPath path, string? field, int index = -1)
    {
        var rel = BinaryPrimitives.ReadUInt32LittleEndian(Span.Slice(at, 4));
        var target = (long)at + rel;
        if (rel == 0 || target > Length - 4)
            throw Error($"offset {rel} points outside the {Length}-byte file", path, index >= 0 ? $"{field}[{index}]" : field, at);
        return (int)target;
    }

    internal FbTable TableAt(int pos, FieldPath path)
    {
        var span = Span;
        if (pos < 0 || pos > Length - 4) throw Error("table lies outside the file", path, null, pos);
        var soffset = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(pos, 4));
        var vt = (long)pos - soffset;
        if (vt < 0 || vt > Length - 4) throw Error($"vtable offset {soffset} points outside the file", path, null, pos);
        var vtLen = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice((int)vt, 2));
        var tableLen = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice((int)vt + 2, 2));
        if (vtLen < 4 || (vtLen & 1) != 0 || vt + vtLen > Length)
            throw Error($"vtable of {vtLen} bytes is malformed or runs past the file", path, null, vt);
        if (tableLen < 4 || (long)pos + tableLen > Length)
            throw Error($"table of {tableLen} bytes runs past the file", path, null, pos);
        Charge(tableLen, path, null, pos);
        return new FbTable(this, pos, (int)vt, vtLen, tableLen, path);
    }

    /// <summary>Vector header at <paramref name="pos"/>: element count must fit in the bytes that follow.</summary>
    internal FbVector VectorAt(int pos, int elementSize, FieldPath path, string field)
    {
        var count = BinaryPrimitives.ReadUInt32LittleEndian(Span.Slice(pos, 4));
        var start = (long)pos + 4;
        if (count > (Length - start) / elementSize)
            throw Error($"vector of {count} elements of {elementSize} bytes runs past the file", path, field, pos);
        return new FbVector(this, (int)start, (int)count, elementSize, path, field);
    }

    internal string StringAt(int pos, FieldPath path, string field)
    {
        var bytes = VectorAt(pos, 1, path, field);
        Charge(bytes.Count, path, field, pos);
        return Encoding.UTF8.GetString(Span.Slice(bytes.Start, bytes.Count));
    }
}

/// <summary>A table: vtable-guided access to its fields. Absent fields give the schema default.</summary>
internal readonly struct FbTable
{
    private readonly FlatBuffer _buf;
    private readonly int _vt;
    private readonly int _vtLen;
    private readonly int _tableLen;

    internal FbTable(FlatBuffer buf, int pos, int vt, int vtLen, int tableLen, FieldPath path)
    {
        _buf = buf;
        Position = pos;
        _vt = vt;
        _vtLen = vtLen;
        _tableLen = tableLen;
        Path = path;
    }

    public int Position { get; }
    public FieldPath Path { get; }
    public FlatBuffer Buffer => _buf;

    /// <summary>Absolute position of field <paramref name="id"/> of <paramref name="size"/> bytes, or -1 when absent.</summary>
    private int FieldPosition(int id, int size, string name)
    {
        var entry = TfliteSchema.VTableEntry(id);
        if (entry + 2 > _vtLen) return -1;
        var off = BinaryPrimitives.ReadUInt16LittleEndian(_buf.Span.Slice(_vt + entry, 2));
        if (off == 0) return -1;
        if (off < 4 || off + size > _tableLen)
            throw _buf.Error($"field at table offset {off} ({size} bytes) lies outside the {_tableLen}-byte table", Path, name, Position);
        return Position + off;
    }

    public bool Has(int id) => TfliteSchema.VTableEntry(id) + 2 <= _vtLen &&
        BinaryPrimitives.ReadUInt16LittleEndian(_buf.Span.Slice(_vt + TfliteSchema.VTableEntry(id), 2)) != 0;

    public bool GetBool(int id, string name, bool defaultValue = false)
    {
        var p = FieldPosition(id, 1, name);
        return p < 0 ? defaultValue : _buf.Span[p] != 0;
    }

    public sbyte GetSByte(int id, string name, sbyte defaultValue = 0)
    {
        var p = FieldPosition(id, 1, name);
        return p < 0 ? defaultValue : (sbyte)_buf.Span[p];
    }

    public byte GetByte(int id, string name, byte defaultValue = 0)
    {
        var p = FieldPosition(id, 1, name);
        return p < 0 ? defaultValue : _buf.Span[p];
    }

    public int GetInt(int id, string name, int defaultValue = 0)
    {
        var p = FieldPosition(id, 4, name);
        return p < 0 ? defaultValue : BinaryPrimitives.ReadInt32LittleEndian(_buf.Span.Slice(p, 4));
    }

    public uint GetUInt(int id, string name, uint defaultValue = 0)
    {
        var p = FieldPosition(id, 4, name);
        return p < 0 ? defaultValue : BinaryPrimitives.ReadUInt32LittleEndian(_buf.Span.Slice(p, 4));
    }

    public long GetLong(int id, string name, long defaultValue = 0)
    {
        var p = FieldPosition(id, 8, name);
        return p < 0 ? defaultValue : BinaryPrimitives.ReadInt64LittleEndian(_buf.Span.Slice(p, 8));
    }

    public ulong GetULong(int id, string name, ulong defaultValue = 0)
    {
        var p = FieldPosition(id, 8, name);
        return p < 0 ? defaultValue : BinaryPrimitives.ReadUInt64LittleEndian(_buf.Span.Slice(p, 8));
    }

    public float GetFloat(int id, string name, float defaultValue = 0)
    {
        var p = FieldPosition(id, 4, name);
        return p < 0 ? defaultValue : BinaryPrimitives.ReadSingleLittleEndian(_buf.Span.Slice(p, 4));
    }

    /// <summary>Absolute position of an inline struct of <paramref name="size"/> bytes, or -1 when absent.</summary>
    public int GetStructPosition(int id, int size, string name) => FieldPosition(id, size, name);

    private int Target(int id, string name)
    {
        var p = FieldPosition(id, 4, name);
        return p < 0 ? -1 : _buf.ReadUOffsetTarget(p, Path, name);
    }

    public string? GetString(int id, string name)
    {
        var t = Target(id, name);
        return t < 0 ? null : _buf.StringAt(t, Path, name);
    }

    public FbTable? GetTable(int id, string name)
    {
        var t = Target(id, name);
        return t < 0 ? null : _buf.TableAt(t, Path.Field(name));
    }

    /// <summary>Vector of <paramref name="elementSize"/>-byte scalars or structs (4 for offsets to tables/strings); empty when absent.</summary>
    public FbVector GetVector(int id, int elementSize, string name)
    {
        var t = Target(id, name);
        return t < 0 ? new FbVector(_buf, 0, 0, elementSize, Path, name) { IsPresent = false } : _buf.VectorAt(t, elementSize, Path, name);
    }

    /// <summary>Union member: the type byte at <paramref name="typeId"/>, the table at typeId + 1.</summary>
    public (byte Type, FbTable? Value) GetUnion(int typeId, string name)
    {
        var type = GetByte(typeId, name + "_type");
        var value = GetTable(typeId + 1, name);
        if (type != 0 && value is null)
            throw _buf.Error($"union type {type} is set but its value is missing", Path, name, Position);
        return (type, type == 0 ? null : value);
    }
}

/// <summary>A vector whose extent was checked against the buffer; element reads cannot leave it.</summary>
internal readonly struct FbVector
{
    private readonly FlatBuffer _buf;
    private readonly FieldPath _path;
    private readonly string _name;

    internal FbVector(FlatBuffer buf, int start, int count, int elementSize, FieldPath path, string name)
    {
        _buf = buf;
        Start = start;
        Count = count;
        ElementSize = elementSize;
        _path = path;
        _name = name;
    }

    public int Start { get; }
    public int Count { get; }
    public int ElementSize { get; }
    public bool IsPresent { get; init; } = true;

    private ReadOnlySpan<byte> Element(int i, int size)
    {
        if ((uint)i >= (uint)Count || size > ElementSize) throw new ArgumentOutOfRangeException(nameof(i));
        return _buf.Span.Slice(Start + i * ElementSize, size);
    }

    public int Int32(int i) => BinaryPrimitives.ReadInt32LittleEndian(Element(i, 4));
    public long Int64(int i) => BinaryPrimitives.ReadInt64LittleEndian(Element(i, 8));
    public float Float(int i) => BinaryPrimitives.ReadSingleLittleEndian(Element(i, 4));
    public byte Byte(int i) => Element(i, 1)[0];

    public ReadOnlyMemory<byte> Bytes => _buf.Memory.Slice(Start, Count * ElementSize);

    public FbTable Table(int i)
    {
        _ = Element(i, 4);
        return _buf.TableAt(_buf.ReadUOffsetTarget(Start + i * 4, _path, _name, i), _path.Element(_name, i));
    }

    public string String(int i)
    {
        _ = Element(i, 4);
        var field = $"{_name}[{i}]";
        return _buf.StringAt(_buf.ReadUOffsetTarget(Start + i * 4, _path, field), _path, field);
    }

    private void ChargeAll() => _buf.Charge(Count, _path, _name, Start);

    public int[] ToInt32Array() => Copy<int>();
    public long[] ToInt64Array() => Copy<long>();
    public float[] ToFloatArray() => Copy<float>();

    /// <summary>Copies the elements out; FlatBuffers are little-endian, so big-endian hosts swap each one.</summary>
    private T[] Copy<T>() where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        if (size != ElementSize) throw new InvalidOperationException($"vector of {ElementSize}-byte elements read as {size}-byte values");
        ChargeAll();
        var values = MemoryMarshal.Cast<byte, T>(_buf.Span.Slice(Start, Count * size)).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            // Reversing all bytes swaps each element and reverses their order; reversing the elements restores the order.
            MemoryMarshal.AsBytes(values.AsSpan()).Reverse();
            Array.Reverse(values);
        }
        return values;
    }

    public ModelFormatException Error(string message, int index) =>
        _buf.Error(message, _path, index >= 0 ? $"{_name}[{index}]" : _name, Start + Math.Max(0, index) * (long)ElementSize);
}
