using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NpuAdvisor.Tests.Ci;

/// <summary>
/// A YAML file as JSON, so a JSON Schema can check it: plain scalars that read as integers or booleans become numbers
/// and booleans, quoted ones stay strings. One document only; a duplicate key is an error (JsonObject refuses it).
/// </summary>
internal static class YamlJson
{
    public static JsonNode Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(path))) stream.Load(reader);
        if (stream.Documents.Count != 1) throw new InvalidDataException($"{path}: {stream.Documents.Count} YAML documents, expected 1");
        return Convert(stream.Documents[0].RootNode) ?? throw new InvalidDataException($"{path}: empty document");
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode s => new JsonArray([.. s.Children.Select(Convert)]),
        YamlScalarNode s => Scalar(s),
        _ => throw new InvalidDataException($"unsupported YAML node at {node.Start}"),
    };

    private static JsonNode? Scalar(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (s.Style != ScalarStyle.Plain) return JsonValue.Create(v);
        if (v is "" or "~" or "null") return null;
        if (v is "true" or "false") return JsonValue.Create(v == "true");
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return JsonValue.Create(n);
        return JsonValue.Create(v);
    }
}
