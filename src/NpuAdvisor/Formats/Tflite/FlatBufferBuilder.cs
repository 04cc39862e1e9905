using System.Buffers.Binary;
using System.Text;

namespace NpuAdvisor.Formats.Tflite;

/// <summary>
/// Writes a FlatBuffer back to front into a growable buffer. Objects are finished before the objects
/// that refer to them, and every reference is an offset measured from the end of the buffer
/// (<see cref="Offset"/>), so it stays valid while the buffer grows towards its front. Alignment is
/// kept relative to the end; <see cref="Finish"/> pads so the final size is a multiple of the largest
/// alignment used, which makes end-relative and start-relative alignment the same. Output depends only
/// on the sequence of calls (no hashing, no clocks), so the same input gives the same bytes.
/// </summary>
public sealed class FlatBufferBuilder
{
    /// <summary>FlatBuffers offsets are 32-bit; a buffer must stay below 2 GiB.</summary>
    public const int MaxSize = int.MaxValue - 64;

    private byte[] _buffer;
    private int _head; // first used byte; the data is _buffer[_head..]
    private int _minAlign = 1;

    private int[] _fields = new int[16]; // end-relative position of each field of the open table; 0 = absent
    private int _fieldCount = -1;        // -1 when no table is open
    private int _tableStart;
    private int _vectorCount = -1;       // elements announced by StartVector; -1 when no vector is open
    private readonly List<int> _vtables = [];
    private bool _finished;

    public FlatBufferBuilder(int initialCapacity = 1024)
    {
        _buffer = new byte[Math.Max(initialCapacity, 16)];
        _head = _buffer.Length;
    }

    /// <summary>Share identical vtables between tables (what flatc does). On by default.</summary>
    public bool DeduplicateVtables { get; init; } = true;

    /// <summary>Write scalar fields even when they equal the schema default.</summary>
    public bool ForceDefaults { get; init; }

    /// <summary>Bytes written so far; also the end-relative position of the last thing written.</summary>
    public int Offset => _buffer.Length - _head;

    /// <summary>The finished buffer (valid until the builder is used again).</summary>
    public ReadOnlySpan<byte> Written
    {
        get
        {
            if (!_finished) throw new InvalidOperationException("Finish the buffer before reading it");
            return _buffer.AsSpan(_head);
        }
    }

    public byte[] ToArray() => Written.ToArray();

    // ---- low level -------------------------------------------------------------------------------

    private void Reserve(int bytes)
    {
        if (_head >= bytes) return;
        var used = Offset;
        if ((long)used + bytes > MaxSize)
            throw new InvalidOperationException($"FlatBuffer would exceed {MaxSize} bytes (32-bit offsets)");
        var size = (int)Math.Min(MaxSize, Math.Max((long)_buffer.Length * 2, (long)used + bytes + 1024));
        var grown = new byte[size];
        _buffer.AsSpan(_head).CopyTo(grown.AsSpan(size - used));
        _buffer = grown;
        _head = size - used;
    }

    /// <summary>Pads so that, after <paramref name="additionalBytes"/> more bytes are written, the next
    /// <paramref name="size"/>-byte item starts aligned to <paramref name="size"/> (a power of two).</summary>
    public void Prep(int size, int additionalBytes)
    {
        if (size <= 0 || (size & (size - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(size), size, "alignment must be a power of two");
        if (size > _minAlign) _minAlign = size;
        var padding = (int)(-(Offset + (long)additionalBytes) & (size - 1));
        Reserve(padding + size + additionalBytes);
        _buffer.AsSpan(_head - padding, padding).Clear();
        _head -= padding;
    }

    private Span<byte> Take(int bytes)
    {
        Reserve(bytes);
        _head -= bytes;
        return _buffer.AsSpan(_head, bytes);
    }

    public void PutByte(byte v) => Take(1)[0] = v;
    public void PutSByte(sbyte v) => Take(1)[0] = (byte)v;
    public void PutShort(short v) => BinaryPrimitives.WriteInt16LittleEndian(Take(2), v);
    public void PutUShort(ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), v);
    public void PutInt(int v) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), v);
    public void PutUInt(uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), v);
    public void PutLong(long v) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), v);
    public void PutULong(ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), v);
    public void PutFloat(float v) => BinaryPrimitives.WriteSingleLittleEndian(Take(4), v);
    public void PutDouble(double v) => BinaryPrimitives.WriteDoubleLittleEndian(Take(8), v);

    /// <summary>Raw bytes (the caller has aligned).</summary>
    public void PutBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));

    // ---- references ------------------------------------------------------------------------------

    /// <summary>Writes a uoffset (aligned) that points at an object finished earlier.</summary>
    public void AddOffset(int target)
    {
        Prep(4, 0);
        if (target <= 0 || target > Offset) throw new ArgumentOutOfRangeException(nameof(target), target, "offset must refer to an object already written");
        PutInt(Offset - target + 4);
    }

    // ---- strings and vectors ---------------------------------------------------------------------

    /// <summary>A UTF-8 string: length prefix, bytes, terminating zero.</summary>
    public int CreateString(string s)
    {
        NotNested();
        var byteCount = Encoding.UTF8.GetByteCount(s);
        Prep(4, byteCount + 1);
        PutByte(0);
        Encoding.UTF8.GetBytes(s, Take(byteCount));
        PutInt(byteCount);
        return Offset;
    }

    /// <summary>Opens a vector of <paramref name="count"/> elements of <paramref name="elementSize"/> bytes whose
    /// first element is aligned to <paramref name="alignment"/>. Push elements last to first, then <see cref="EndVector"/>.</summary>
    public void StartVector(int elementSize, int count, int alignment)
    {
        NotNested();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var bytes = (long)elementSize * count;
        if (bytes > MaxSize) throw new InvalidOperationException($"vector of {bytes} bytes exceeds the FlatBuffer limit");
        _vectorCount = count;
        Prep(4, (int)bytes);
        Prep(Math.Max(alignment, 1), (int)bytes);
    }

    public int EndVector()
    {
        if (_vectorCount < 0) throw new InvalidOperationException("EndVector without StartVector");
        PutInt(_vectorCount);
        _vectorCount = -1;
        return Offset;
    }

    /// <summary>A vector of bytes, e.g. tensor data (TFLite Buffer.data wants <paramref name="alignment"/> 16).</summary>
    public int CreateByteVector(ReadOnlySpan<byte> data, int alignment = 1)
    {
        StartVector(1, data.Length, alignment);
        PutBytes(data);
        return EndVector();
    }

    public int CreateIntVector(ReadOnlySpan<int> values)
    {
        StartVector(4, values.Length, 4);
        for (var i = values.Length - 1; i >= 0; i--) PutInt(values[i]);
        return EndVector();
    }

    public int CreateLongVector(ReadOnlySpan<long> values)
    {
        StartVector(8, values.Length, 8);
        for (var i = values.Length - 1; i >= 0; i--) PutLong(values[i]);
        return EndVector();
    }

    public int CreateFloatVector(ReadOnlySpan<float> values)
    {
        StartVector(4, values.Length, 4);
        for (var i = values.Length - 1; i >= 0; i--) PutFloat(values[i]);
        return EndVector();
    }

    public int CreateBoolVector(ReadOnlySpan<bool> values)
    {
        StartVector(1, values.Length, 1);
        for (var i = values.Length - 1; i >= 0; i--) PutByte(values[i] ? (byte)1 : (byte)0);
        return EndVector();
    }

    /// <summary>A vector of references to tables or strings finished earlier, in the given order.</summary>
    public int CreateOffsetVector(ReadOnlySpan<int> offsets)
    {
        StartVector(4, offsets.Length, 4);
        for (var i = offsets.Length - 1; i >= 0; i--) AddOffset(offsets[i]);
        return EndVector();
    }

    /// <summary>A vector of structs given as their packed little-endian bytes (each <paramref name="structSize"/> bytes, padding included).</summary>
    public int CreateStructVector(ReadOnlySpan<byte> packed, int structSize, int alignment)
    {
        if (structSize <= 0 || packed.Length % structSize != 0)
            throw new ArgumentException($"{packed.Length} bytes is not a whole number of {structSize}-byte structs", nameof(packed));
        StartVector(structSize, packed.Length / structSize, alignment);
        PutBytes(packed);
        return EndVector();
    }

    // ---- tables ----------------------------------------------------------------------------------

    public void StartTable(int fieldCount)
    {
        NotNested();
        ArgumentOutOfRangeException.ThrowIfNegative(fieldCount);
        if (_fields.Length < fieldCount) _fields = new int[Math.Max(fieldCount, _fields.Length * 2)];
        Array.Clear(_fields, 0, fieldCount);
        _fieldCount = fieldCount;
        _tableStart = Offset;
    }

    private void Slot(int field)
    {
        if (_fieldCount < 0) throw new InvalidOperationException("field added outside a table");
        if ((uint)field >= (uint)_fieldCount) throw new ArgumentOutOfRangeException(nameof(field), field, $"table was started with {_fieldCount} fields");
        _fields[field] = Offset;
    }

    public void AddBool(int field, bool value, bool defaultValue = false)
    {
        if (value == defaultValue && !ForceDefaults) return;
        Prep(1, 0); PutByte(value ? (byte)1 : (byte)0); Slot(field);
    }

    public void AddByte(int field, byte value, byte defaultValue = 0)
    {
        if (value == defaultValue && !ForceDefaults) return;
        Prep(1, 0); PutByte(value); Slot(field);
    }

    public void AddSByte(int field, sbyte value, sbyte defaultValue = 0)
    {
        if (value == defaultValue && !ForceDefaults) return;
        Prep(1, 0); PutSByte(value); Slot(field);
    }

    public void AddShort(int field, short value, short defaultValue = 0)
    {
        if (value == defaultValue && !ForceDefaults) return;
        Prep(2, 0); PutShort(value); Slot(field);
    }

    public void AddInt(int field, int value, int defaultValue = 0)
    {
        if (value == defaultValue && !ForceDefaults) return;
        Prep(4, 0); PutInt(value); Slot(field);
    }

    public void AddUInt(int field, uint value, uint defaultValue = 0)
    {
        if (value == defaultValue && !ForceDefaults) return;
        Prep(4, 0); PutUInt(value); Slot(field);
    }

    public void AddLong(int field, long value, long defaultValue = 0)
    {
        if (value == defaultValue && !ForceDefaults) return;
        Prep(8, 0); PutLong(value); Slot(field);
    }

    public void AddULong(int field, ulong value, ulong defaultValue = 0)
    {
        if (value == defaultValue && !ForceDefaults) return;
        Prep(8, 0); PutULong(value); Slot(field);
    }

    public void AddFloat(int field, float value, float defaultValue = 0f)
    {
        // Compare bits so -0.0 and NaN payloads survive.
        if (BitConverter.SingleToInt32Bits(value) == BitConverter.SingleToInt32Bits(defaultValue) && !ForceDefaults) return;
        Prep(4, 0); PutFloat(value); Slot(field);
    }

    public void AddDouble(int field, double value, double defaultValue = 0d)
    {
        if (BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(defaultValue) && !ForceDefaults) return;
        Prep(8, 0); PutDouble(value); Slot(field);
    }

    /// <summary>A reference field; 0 means absent.</summary>
    public void AddOffset(int field, int target)
    {
        if (target == 0) return;
        AddOffset(target);
        Slot(field);
    }

    /// <summary>A struct stored inline in the table, given as its packed little-endian bytes.</summary>
    public void AddStruct(int field, ReadOnlySpan<byte> packed, int alignment)
    {
        Prep(alignment, packed.Length);
        PutBytes(packed);
        Slot(field);
    }

    /// <summary>A union field: its type byte goes in <paramref name="typeField"/> and the value in the slot after it (how flatc numbers them).</summary>
    public void AddUnion(int typeField, byte type, int value)
    {
        if (type == 0 || value == 0) return;
        AddByte(typeField, type);
        AddOffset(typeField + 1, value);
    }

    /// <summary>Closes the open table: writes its vtable (or reuses an identical one) and returns the table's offset.</summary>
    public int EndTable()
    {
        if (_fieldCount < 0) throw new InvalidOperationException("EndTable without StartTable");
        Prep(4, 0);
        PutInt(0); // placeholder for the soffset to the vtable
        var table = Offset;

        var used = _fieldCount;
        while (used > 0 && _fields[used - 1] == 0) used--;
        var tableSize = table - _tableStart;
        if (tableSize > ushort.MaxValue) throw new InvalidOperationException($"table of {tableSize} bytes is too large for a vtable");

        for (var i = used - 1; i >= 0; i--)
            PutUShort(_fields[i] == 0 ? (ushort)0 : (ushort)(table - _fields[i]));
        PutUShort((ushort)tableSize);
        PutUShort((ushort)((used + 2) * 2));
        var vtable = Offset;

        if (DeduplicateVtables)
        {
            var fresh = _buffer.AsSpan(_head, (used + 2) * 2);
            var reused = false;
            foreach (var existing in _vtables)
            {
                var start = _buffer.Length - existing;
                var length = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(start));
                if (length == fresh.Length && _buffer.AsSpan(start, length).SequenceEqual(fresh))
                {
                    _head = _buffer.Length - table; // drop the fresh copy
                    vtable = existing;
                    reused = true;
                    break;
                }
            }
            if (!reused) _vtables.Add(vtable);
        }

        // soffset = table position − vtable position (start-relative), = vtable − table end-relative.
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_buffer.Length - table), vtable - table);
        _fieldCount = -1;
        return table;
    }

    // ---- finishing -------------------------------------------------------------------------------

    /// <summary>Writes the root offset (and the 4-character file identifier, if given) and pads the whole buffer to its largest alignment.</summary>
    public void Finish(int root, string? fileIdentifier = null)
    {
        NotNested();
        if (fileIdentifier is not null && (fileIdentifier.Length != 4 || fileIdentifier.Any(c => c > 0x7f)))
            throw new ArgumentException("a file identifier is exactly 4 ASCII characters", nameof(fileIdentifier));
        Prep(Math.Max(_minAlign, 4), 4 + (fileIdentifier is null ? 0 : 4));
        if (fileIdentifier is not null)
            for (var i = 3; i >= 0; i--) PutByte((byte)fileIdentifier[i]);
        AddOffset(root);
        _finished = true;
    }

    private void NotNested()
    {
        if (_finished) throw new InvalidOperationException("the buffer is already finished");
        if (_fieldCount >= 0) throw new InvalidOperationException("objects cannot be created while a table is open; create them first");
        if (_vectorCount >= 0) throw new InvalidOperationException("a vector is open; call EndVector first");
    }
}
