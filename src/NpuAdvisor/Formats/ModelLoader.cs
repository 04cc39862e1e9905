using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats;

/// <summary>Opens a model file by content (TFLite's "TFL3" identifier) or, failing that, by extension.</summary>
public static class ModelLoader
{
    public static readonly IReadOnlyList<string> Extensions = [".tflite", ".onnx"];

    /// <summary>
    /// Opens a model for analysis. <paramref name="asStored"/> keeps the file's own operators where the analysis
    /// view differs from them (ONNX QDQ groups, see <see cref="OnnxImportOptions.KeepQdqNodes"/>): `inspect` shows that.
    /// </summary>
    public static Graph Load(string path, bool asStored = false)
    {
        Span<byte> head = stackalloc byte[8];
        int read;
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            read = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ModelFormatException($"cannot read '{path}': {e.Message}");
        }
        if (read == 0) throw new ModelFormatException("file is empty", "file", 0);

        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (IsTflite(head[..read]) || ext == ".tflite") return TfliteImporter.Load(path);
        if (ext == ".onnx" || LooksLikeOnnx(head[..read])) return OnnxImporter.Load(path, new OnnxImportOptions { KeepQdqNodes = asStored });
        throw new ModelFormatException("unrecognised model format: expected a TFLite flatbuffer (identifier TFL3) or an ONNX protobuf", "file header", 0);
    }

    private static bool IsTflite(ReadOnlySpan<byte> head) => head.Length >= 8 && head[4..8].SequenceEqual("TFL3"u8);

    /// <summary>ONNX files start with ModelProto field 1 (ir_version, varint): tag byte 0x08.</summary>
    private static bool LooksLikeOnnx(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x08 && head[1] is > 0 and < 0x80;
}
