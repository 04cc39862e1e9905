namespace NpuAdvisor.Model;

/// <summary>Element type of a tensor, independent of the file format it came from.</summary>
public enum DataType
{
    Unknown,
    Float32,
    Float16,
    BFloat16,
    Float64,
    Int4,
    Int8,
    UInt8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Bool,
    String,
    Complex64,
    Complex128,
    Resource,
    Variant,
}

public static class DataTypeInfo
{
    /// <summary>Bits per element; 0 where the size is not fixed (string, resource, variant, unknown).</summary>
    public static int Bits(this DataType t) => t switch
    {
        DataType.Int4 => 4,
        DataType.Int8 or DataType.UInt8 or DataType.Bool => 8,
        DataType.Float16 or DataType.BFloat16 or DataType.Int16 or DataType.UInt16 => 16,
        DataType.Float32 or DataType.Int32 or DataType.UInt32 => 32,
        DataType.Float64 or DataType.Int64 or DataType.UInt64 or DataType.Complex64 => 64,
        DataType.Complex128 => 128,
        _ => 0,
    };

    public static bool IsFloat(this DataType t) =>
        t is DataType.Float32 or DataType.Float16 or DataType.BFloat16 or DataType.Float64;

    /// <summary>True for the 8-bit integer types NPUs compute with.</summary>
    public static bool Is8Bit(this DataType t) => t is DataType.Int8 or DataType.UInt8;

    public static bool IsInteger(this DataType t) =>
        t is DataType.Int4 or DataType.Int8 or DataType.UInt8 or DataType.Int16 or DataType.UInt16
          or DataType.Int32 or DataType.UInt32 or DataType.Int64 or DataType.UInt64;

    /// <summary>Lower-case name used in reports: float32, int8, uint8…</summary>
    public static string Name(this DataType t) => t.ToString().ToLowerInvariant();

    /// <summary>Bytes for <paramref name="elements"/> elements (INT4 packs two per byte).</summary>
    /// <remarks>Whole bytes of every 8 elements first: elements × bits may be just under 2^63, and adding the 7 to it would wrap.</remarks>
    public static long ByteCount(this DataType t, long elements) => elements / 8 * t.Bits() + (elements % 8 * t.Bits() + 7) / 8;
}
