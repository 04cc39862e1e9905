using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

/// <summary>Element types of ONNX TensorProto.DataType and their mapping onto the IR.</summary>
internal static class OnnxTypes
{
    public static DataType ToIr(int onnxType) => onnxType switch
    {
        1 => DataType.Float32,
        2 => DataType.UInt8,
        3 => DataType.Int8,
        4 => DataType.UInt16,
        5 => DataType.Int16,
        6 => DataType.Int32,
        7 => DataType.Int64,
        8 => DataType.String,
        9 => DataType.Bool,
        10 => DataType.Float16,
        11 => DataType.Float64,
        12 => DataType.UInt32,
        13 => DataType.UInt64,
        14 => DataType.Complex64,
        15 => DataType.Complex128,
        16 => DataType.BFloat16,
        22 => DataType.Int4,
        _ => DataType.Unknown,
    };

    /// <summary>Bits per element as stored by ONNX (float8 types are 8, uint4/int4/float4 are 4); 0 for strings or unknown codes.</summary>
    public static int StoredBits(int onnxType) => onnxType switch
    {
        1 or 6 or 12 => 32,
        2 or 3 or 9 or 17 or 18 or 19 or 20 => 8,
        4 or 5 or 10 or 16 => 16,
        7 or 11 or 13 or 14 => 64,
        15 => 128,
        21 or 22 or 23 => 4,
        _ => 0,
    };

    public static string Name(int onnxType) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), onnxType) ? ((TensorProto.Types.DataType)onnxType).ToString().ToUpperInvariant() : $"UNKNOWN({onnxType})";
}

/// <summary>
/// Reads the contents of a TensorProto: raw_data is viewed without a copy; the typed repeated fields
/// (float_data, int32_data…) are materialised into little-endian bytes; external data is read from a
/// side file that must lie inside the model's folder.
/// </summary>
internal static class OnnxTensorData
{
    /// <summary>Dimensions of a tensor; negative values are refused.</summary>
    public static long[] Dims(TensorProto t, string field)
    {
        var dims = new long[t.Dims.Count];
        for (var i = 0; i < dims.Length; i++)
        {
            if (t.Dims[i] < 0) throw new ModelFormatException($"negative dimension {t.Dims[i]}", $"{field}.dims[{i}]");
            dims[i] = t.Dims[i];
        }
        return dims;
    }

    /// <summary>Element count, or an error when it overflows.</summary>
    public static long ElementCount(IReadOnlyList<long> dims, string field)
    {
        long n = 1;
        foreach (var d in dims)
        {
            if (d != 0 && n > long.MaxValue / 128 / d)
                throw new ModelFormatException($"declared element count of [{string.Join(",", dims)}] is too large", field);
            n *= d;
        }
        return n;
    }

    /// <summary>Bytes the tensor's elements occupy when stored (rounded up for 4-bit types).</summary>
    public static long ExpectedBytes(int onnxType, long elements) => (elements * OnnxTypes.StoredBits(onnxType) + 7) / 8;

    /// <summary>The tensor's bytes; empty for strings and for types the IR cannot size.</summary>
    public static ReadOnlyMemory<byte> Read(TensorProto t, string field, string? modelDir)
    {
        if (t.Segment is not null)
            throw new ModelFormatException("segmented tensors (TensorProto.segment) are not supported", field);
        var dims = Dims(t, field);
        var count = ElementCount(dims, field);
        var type = t.DataType;
        var bits = OnnxTypes.StoredBits(type);
        if (type == 8) return ReadOnlyMemory<byte>.Empty; // strings carry no numeric payload the analyser uses
        if (bits == 0) throw new ModelFormatException($"unsupported tensor data type {OnnxTypes.Name(type)}", $"{field}.data_type");
        var expected = ExpectedBytes(type, count);

        if (t.DataLocation == TensorProto.Types.DataLocation.External)
            return OnnxExternalData.Read(t, field, modelDir, expected);

        if (t.HasRawData)
        {
            var raw = t.RawData.Memory;
            if (raw.Length != expected)
                throw new ModelFormatException($"raw_data holds {raw.Length} bytes but {OnnxTypes.Name(type)}[{string.Join(",", dims)}] needs {expected}", $"{field}.raw_data");
            return raw;
        }
        return Typed(t, type, count, expected, field);
    }

    private static ReadOnlyMemory<byte> Typed(TensorProto t, int type, long count, long expected, string field)
    {
        switch (type)
        {
            case 1: // FLOAT
                Check(t.FloatData.Count, count, "float_data", field);
                return ToBytes(t.FloatData, 4, (s, v) => BinaryPrimitives.WriteSingleLittleEndian(s, v));
            case 14: // COMPLEX64: real/imaginary pairs in float_data
                Check(t.FloatData.Count, count * 2, "float_data", field);
                return ToBytes(t.FloatData, 4, (s, v) => BinaryPrimitives.WriteSingleLittleEndian(s, v));
            case 11:
                Check(t.DoubleData.Count, count, "double_data", field);
                return ToBytes(t.DoubleData, 8, (s, v) => BinaryPrimitives.WriteDoubleLittleEndian(s, v));
            case 15:
                Check(t.DoubleData.Count, count * 2, "double_data", field);
                return ToBytes(t.DoubleData, 8, (s, v) => BinaryPrimitives.WriteDoubleLittleEndian(s, v));
            case 7:
                Check(t.Int64Data.Count, count, "int64_data", field);
                return ToBytes(t.Int64Data, 8, (s, v) => BinaryPrimitives.WriteInt64LittleEndian(s, v));
            case 12:
                Check(t.Uint64Data.Count, count, "uint64_data", field);
                return ToBytes(t.Uint64Data, 4, (s, v) => BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)v));
            case 13:
                Check(t.Uint64Data.Count, count, "uint64_data", field);
                return ToBytes(t.Uint64Data, 8, (s, v) => BinaryPrimitives.WriteUInt64LittleEndian(s, v));
            case 6:
                Check(t.Int32Data.Count, count, "int32_data", field);
                return ToBytes(t.Int32Data, 4, (s, v) => BinaryPrimitives.WriteInt32LittleEndian(s, v));
            case 4 or 5 or 10 or 16: // 16-bit types (float16/bfloat16 as bit patterns) one per int32
                Check(t.Int32Data.Count, count, "int32_data", field);
                return ToBytes(t.Int32Data, 2, (s, v) => BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)v));
            case 2 or 3 or 9 or 17 or 18 or 19 or 20:
                Check(t.Int32Data.Count, count, "int32_data", field);
                return ToBytes(t.Int32Data, 1, (s, v) => s[0] = (byte)v);
            case 21 or 22 or 23: // 4-bit types: two elements packed per int32_data entry
                Check(t.Int32Data.Count, expected, "int32_data", field);
                return ToBytes(t.Int32Data, 1, (s, v) => s[0] = (byte)v);
            default:
                throw new ModelFormatException($"unsupported tensor data type {OnnxTypes.Name(type)}", $"{field}.data_type");
        }
    }

    private static void Check(int have, long want, string name, string field)
    {
        if (have != want)
            throw new ModelFormatException($"{name} holds {have} values but the dimensions need {want}", $"{field}.{name}");
    }

    private delegate void Writer<T>(Span<byte> dest, T value);

    private static byte[] ToBytes<T>(IReadOnlyList<T> values, int size, Writer<T> write)
    {
        var bytes = new byte[(long)values.Count * size];
        for (var i = 0; i < values.Count; i++) write(bytes.AsSpan(i * size, size), values[i]);
        return bytes;
    }

    /// <summary>Decodes a small numeric constant into doubles (for attributes and folding); null for other types or &gt; <paramref name="max"/> elements.</summary>
    public static double[]? AsDoubles(DataType type, ReadOnlySpan<byte> data, long max = 1 << 20)
    {
        var size = type.Bits() / 8;
        if (size == 0 || type is DataType.Complex64 or DataType.Complex128 || data.Length % size != 0) return null;
        var n = data.Length / size;
        if (n > max) return null;
        var r = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = data.Slice(i * size, size);
            r[i] = type switch
            {
                DataType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(s),
                DataType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(s),
                DataType.Float16 => (double)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(s)),
                DataType.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(s) << 16),
                DataType.Int8 => (sbyte)s[0],
                DataType.UInt8 or DataType.Bool => s[0],
                DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(s),
                DataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(s),
                DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(s),
                DataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(s),
                DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(s),
                DataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(s),
                _ => double.NaN,
            };
        }
        return r;
    }

    /// <summary>Decodes a small integer constant into longs; null for non-integer types.</summary>
    public static long[]? AsLongs(DataType type, ReadOnlySpan<byte> data, long max = 1 << 20)
    {
        if (type is DataType.Int64 && data.Length % 8 == 0 && data.Length / 8 <= max)
            return MemoryMarshal.Cast<byte, long>(data).ToArray();
        if (!(type.IsInteger() || type == DataType.Bool) || type == DataType.Int4) return null;
        var d = AsDoubles(type, data, max);
        return d?.Select(v => (long)v).ToArray();
    }

}
