using System.Text.Json;

namespace NpuAdvisor.Config;

/// <summary>
/// Where a JSON path (property names and array indices) starts in the file, so a message about a config or
/// baseline can name line and column: <see cref="JsonDocument"/> keeps no positions.
/// </summary>
internal static class JsonLocator
{
    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Key { get; set; }
        public object Segment => IsArray ? Index : Key ?? "";
    }

    /// <summary>The 1-based line and column of the property name (last segment a string) or the array element (an int); null when absent.</summary>
    public static (int Line, int Column)? Find(ReadOnlySpan<byte> json, IReadOnlyList<object> path)
    {
        var reader = new Utf8JsonReader(json);
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[^1].Key = reader.GetString();
                        if (At(frames, path)) return Position(json, (int)reader.TokenStartIndex);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    default:
                        if (frames.Count > 0 && frames[^1].IsArray)
                        {
                            frames[^1].Index++;
                            if (At(frames, path)) return Position(json, (int)reader.TokenStartIndex);
                        }
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                            frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Only called on text JsonDocument already accepted; a position is a courtesy, never worth a second error.
        }
        return null;
    }

    private static bool At(List<Frame> frames, IReadOnlyList<object> path) =>
        frames.Count == path.Count && frames.Select(f => f.Segment).SequenceEqual(path);

    /// <summary>Line and column (in characters, not bytes) of a byte offset.</summary>
    public static (int Line, int Column) Position(ReadOnlySpan<byte> json, int offset)
    {
        int line = 1, column = 1;
        for (var i = 0; i < offset && i < json.Length; i++)
        {
            if (json[i] == (byte)'\n') { line++; column = 1; }
            else if ((json[i] & 0xC0) != 0x80) column++;
        }
        return (line, column);
    }

    /// <summary>"suppressions[1].rule" for messages.</summary>
    public static string Describe(IReadOnlyList<object> path)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var s in path)
        {
            if (s is int i) sb.Append('[').Append(i).Append(']');
            else sb.Append(sb.Length == 0 ? "" : ".").Append(s);
        }
        return sb.Length == 0 ? "(top level)" : sb.ToString();
    }
}
