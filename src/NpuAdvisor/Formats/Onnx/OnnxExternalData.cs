using System.Globalization;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

/// <summary>
/// Tensor data stored beside the model (data_location = EXTERNAL). The location is untrusted: it must be
/// a relative path that stays inside the model's folder after resolving symbolic links, and
/// offset/length must fit in the file and match the tensor's declared size.
/// </summary>
internal static class OnnxExternalData
{
    public static ReadOnlyMemory<byte> Read(TensorProto t, string field, string? modelDir, long expectedBytes)
    {
        string? location = null;
        long offset = 0, length = -1;
        foreach (var e in t.ExternalData)
        {
            switch (e.Key)
            {
                case "location": location = e.Value; break;
                case "offset": offset = ParseLong(e.Value, "offset", field); break;
                case "length": length = ParseLong(e.Value, "length", field); break;
            }
        }
        if (string.IsNullOrEmpty(location))
            throw new ModelFormatException("external tensor has no location", $"{field}.external_data");
        if (modelDir is null)
            throw new ModelFormatException($"external data '{location}' cannot be read: the model was not loaded from a folder", $"{field}.external_data");

        var path = Resolve(modelDir, location, field);
        long fileLength;
        try { fileLength = new FileInfo(path).Length; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"external data file '{location}' cannot be read: {ex.Message}", $"{field}.external_data", -1, ex);
        }
        if (length < 0) length = fileLength - offset;
        if (offset > fileLength || length > fileLength - offset)
            throw new ModelFormatException($"external data offset {offset} + length {length} exceeds '{location}' ({fileLength} bytes)", $"{field}.external_data");
        if (length != expectedBytes)
            throw new ModelFormatException($"external data length {length} does not match the tensor's {expectedBytes} bytes", $"{field}.external_data");
        // Nothing to read, so nothing is opened: a FIFO or device placed beside the model reports length 0, and opening it would block.
        if (length == 0) return ReadOnlyMemory<byte>.Empty;

        try
        {
            var bytes = new byte[length];
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            stream.Seek(offset, SeekOrigin.Begin);
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"external data file '{location}' cannot be read: {ex.Message}", $"{field}.external_data", -1, ex);
        }
    }

    private static long ParseLong(string s, string key, string field)
    {
        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            throw new ModelFormatException($"external data {key} '{s}' is not a non-negative integer", $"{field}.external_data");
        return v;
    }

    /// <summary>Full path of <paramref name="location"/>, refused when it is absolute or resolves outside <paramref name="modelDir"/>.</summary>
    public static string Resolve(string modelDir, string location, string field)
    {
        if (Path.IsPathRooted(location) || location.Contains('\0') || location.Contains(':'))
            throw new ModelFormatException($"external data location '{location}' is absolute; only paths relative to the model folder are allowed", $"{field}.external_data");
        var root = RealPath(Path.GetFullPath(modelDir));
        var candidate = RealPath(Path.GetFullPath(Path.Combine(root, location)));
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!candidate.StartsWith(prefix, StringComparison.Ordinal))
            throw new ModelFormatException($"external data location '{location}' resolves outside the model folder", $"{field}.external_data");
        return candidate;
    }

    /// <summary>The path with every symbolic link along it resolved (components that do not exist are kept as written).</summary>
    private static string RealPath(string full, int depth = 0)
    {
        if (depth > 32) throw new ModelFormatException($"too many symbolic links resolving '{full}'");
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            for (var hops = 0; info.LinkTarget is not null; hops++)
            {
                if (hops > 32) throw new ModelFormatException($"too many symbolic links resolving '{full}'");
                var target = info.ResolveLinkTarget(returnFinalTarget: false);
                if (target is null) break;
                next = Path.GetFullPath(target.FullName);
                info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            }
            // A link may point at a path that itself contains links in its parents: resolve again from the root.
            current = next == Path.Combine(current, parts[i]) ? next : RealPath(next, depth + 1);
        }
        return current;
    }
}
