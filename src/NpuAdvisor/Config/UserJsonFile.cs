using System.Text.Json;

namespace NpuAdvisor.Config;

/// <summary>
/// A JSON file the user wrote or keeps (config, baseline), read strictly: every problem is a <see cref="ConfigException"/>
/// that names the file, the line and column and the JSON path, and for an unknown key or id the nearest valid one.
/// </summary>
internal sealed class UserJsonFile : IDisposable
{
    private readonly byte[] _bytes;
    public string Path { get; }
    public JsonElement Root => _doc.RootElement;
    private readonly JsonDocument _doc;

    private UserJsonFile(string path, byte[] bytes)
    {
        Path = path;
        // Editors on Windows save JSON with a UTF-8 byte-order mark, which JsonDocument does not take from bytes.
        _bytes = bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
        try
        {
            _doc = JsonDocument.Parse(_bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            var what = e.Message.Split(" LineNumber:", 2)[0].TrimEnd();
            throw new ConfigException($"{path}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: not valid JSON: {what}");
        }
    }

    public static UserJsonFile Read(string path, long maxBytes)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new ConfigException($"{path}: no such file");
            if (info.Length > maxBytes) throw new ConfigException($"{path}: {info.Length:N0} bytes, more than the {maxBytes:N0} such a file may have");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot be read: {e.Message}");
        }
        return new UserJsonFile(path, bytes);
    }

    public static UserJsonFile Parse(byte[] bytes, string path) => new(path, bytes);

    public ConfigException Error(IReadOnlyList<object> at, string message)
    {
        var where = JsonLocator.Find(_bytes, at) is { } p ? $"{p.Line}:{p.Column}: " : "";
        return new ConfigException($"{Path}:{where}{JsonLocator.Describe(at)}: {message}");
    }

    /// <summary>"'x' is not a valid Y; did you mean 'z'? Valid: a, b, c".</summary>
    public ConfigException Unknown(IReadOnlyList<object> at, string what, string wrong, IReadOnlyList<string> valid) =>
        Error(at, $"unknown {what} '{wrong}'; did you mean '{EditDistance.Nearest(wrong, valid)}'?" +
                  (valid.Count <= 12 ? $" Valid: {string.Join(", ", valid)}" : ""));

    /// <summary>The properties of an object, after rejecting a non-object, duplicate keys and keys outside <paramref name="keys"/>.</summary>
    public Dictionary<string, JsonElement> Object(JsonElement e, IReadOnlyList<object> at, IReadOnlyList<string> keys)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Error(at, $"expected an object, found {Kind(e)}");
        var props = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            var path = At(at, p.Name);
            if (!keys.Contains(p.Name, StringComparer.Ordinal)) throw Unknown(path, "key", p.Name, keys);
            if (!props.TryAdd(p.Name, p.Value)) throw Error(path, $"key '{p.Name}' appears twice");
        }
        return props;
    }

    public string String(JsonElement e, IReadOnlyList<object> at, bool nonBlank = true)
    {
        if (e.ValueKind != JsonValueKind.String) throw Error(at, $"expected a string, found {Kind(e)}");
        var s = e.GetString()!;
        if (nonBlank && string.IsNullOrWhiteSpace(s)) throw Error(at, "must not be empty");
        return s;
    }

    public List<JsonElement> Array(JsonElement e, IReadOnlyList<object> at)
    {
        if (e.ValueKind != JsonValueKind.Array) throw Error(at, $"expected an array, found {Kind(e)}");
        return e.EnumerateArray().ToList();
    }

    public static object[] At(IReadOnlyList<object> at, object next) => [.. at, next];

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    public void Dispose() => _doc.Dispose();
}
