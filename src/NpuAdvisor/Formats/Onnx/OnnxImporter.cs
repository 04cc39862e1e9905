using System.Runtime.InteropServices;
using Google.Protobuf;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

/// <summary>Optional adjustments applied while importing.</summary>
public sealed class OnnxImportOptions
{
    /// <summary>Graph input name → dimensions that replace the declared shape (e.g. to fix dynamic N/H/W).</summary>
    public IReadOnlyDictionary<string, long[]>? InputShapes { get; init; }

    /// <summary>Graph input name → serialized TensorProto whose value the input is bound to (a constant from then on).</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>>? InputValues { get; init; }

    /// <summary>
    /// Keep QuantizeLinear/DequantizeLinear groups as the file stores them (for `inspect`). By default each
    /// DQ → op → Q group is read as one quantized op, which is what every analysis needs (<see cref="OnnxQdqUnits"/>).
    /// </summary>
    public bool KeepQdqNodes { get; init; }
}

/// <summary>Reads .onnx files (float, QDQ and QOperator models) into the format-neutral graph IR.</summary>
public static class OnnxImporter
{
    /// <summary>Deepest message nesting accepted (subgraphs nest graphs inside attributes).</summary>
    public const int RecursionLimit = 64;

    public static Graph Load(string path, OnnxImportOptions? options = null)
    {
        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > int.MaxValue)
                throw new ModelFormatException($"file is {length} bytes; protobuf models are limited to 2 GiB (larger models keep weights in external data)", path);
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ModelFormatException($"cannot read model file: {e.Message}", path, -1, e);
        }
        return Load(bytes, path, options);
    }

    /// <summary>Imports a model held in memory; <paramref name="path"/> locates external data (relative to its folder) and names the model.</summary>
    public static Graph Load(ReadOnlyMemory<byte> data, string path, OnnxImportOptions? options = null)
    {
        var model = Parse(ModelProto.Parser, data, "ModelProto");
        try
        {
            return new OnnxModelReader(model, path, data.Length, options ?? new OnnxImportOptions()).Read();
        }
        catch (Exception e) when (e is not ModelFormatException)
        {
            // Arithmetic overflow on hostile sizes and the like: the caller is promised one exception type.
            throw new ModelFormatException($"model cannot be interpreted: {e.GetType().Name}: {e.Message}", "ModelProto", -1, e);
        }
    }

    /// <summary>Decodes one protobuf message with a recursion limit and a size limit equal to the input.</summary>
    internal static T Parse<T>(MessageParser<T> parser, ReadOnlyMemory<byte> data, string what) where T : IMessage<T>
    {
        var array = MemoryMarshal.TryGetArray(data, out var segment) ? segment : new ArraySegment<byte>(data.ToArray());
        using var stream = new MemoryStream(array.Array!, array.Offset, array.Count, writable: false);
        using var input = CodedInputStream.CreateWithLimits(stream, Math.Max(1, array.Count), RecursionLimit);
        try
        {
            return parser.ParseFrom(input);
        }
        catch (Exception e) when (e is not ModelFormatException)
        {
            throw new ModelFormatException($"malformed protobuf: {e.Message}", what, input.Position, e);
        }
    }
}
