using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NpuAdvisor.Config;

/// <summary>
/// The JSON Schema of npu-advisor.json, built from the keys and ids <see cref="ConfigReader"/> accepts, so the published
/// docs/npu-advisor.schema.json cannot drift from the reader (a test compares them). Editors use it to complete rule ids.
/// </summary>
public static class ConfigSchema
{
    public const string DocsPath = "docs/npu-advisor.schema.json";

    public static string Render()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", "https://json-schema.org/draft/2020-12/schema");
            w.WriteString("title", "npu-advisor configuration (npu-advisor.json)");
            w.WriteString("description",
                "Read from the model's folder or the nearest parent folder that has one, or from `check --config FILE`. " +
                "Command-line flags win over the file.");
            w.WriteString("type", "object");
            w.WriteBoolean("additionalProperties", false);
            w.WriteStartObject("properties");

            StringProperty(w, "$schema", "Where an editor finds this schema.", nonBlank: false);

            w.WriteStartObject("targets");
            w.WriteString("description", "Targets to check when the command line gives no --target.");
            w.WriteString("type", "array");
            w.WriteNumber("minItems", 1);
            w.WriteBoolean("uniqueItems", true);
            w.WriteStartObject("items");
            Enum(w, ConfigReader.TargetIds);
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("fail_on");
            w.WriteString("description",
                "The --fail-on level when the command line gives none: exit 1 when a finding of this kind is neither suppressed nor in the baseline. performance also takes unsupported.");
            Enum(w, FailOn.Levels);
            w.WriteEndObject();

            w.WriteStartObject("suppressions");
            w.WriteString("description", "Accepted findings: still computed and shown, marked suppressed with the reason, not counted for --fail-on.");
            w.WriteString("type", "array");
            w.WriteStartObject("items");
            w.WriteString("$ref", "#/$defs/suppression");
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteEndObject();

            w.WriteStartObject("$defs");
            w.WriteStartObject("suppression");
            w.WriteString("type", "object");
            w.WriteBoolean("additionalProperties", false);
            w.WriteStartArray("required");
            foreach (var k in ConfigReader.RequiredSuppressionKeys) w.WriteStringValue(k);
            w.WriteEndArray();
            w.WriteStartObject("properties");
            w.WriteStartObject("rule");
            w.WriteString("description", "The rule id (npu-advisor targets lists them).");
            Enum(w, ConfigReader.RuleIds);
            w.WriteEndObject();
            w.WriteStartObject("target");
            w.WriteString("description", "Only on this target; every target that checks the rule when left out.");
            Enum(w, ConfigReader.TargetIds.Where(t => t != "all").ToList());
            w.WriteEndObject();
            StringProperty(w, "op", "Only on ops whose name matches this glob (* any characters, ? one); model-level findings never match an op glob.", nonBlank: true);
            StringProperty(w, "reason", "Why the finding is accepted; shown wherever the finding is.", nonBlank: true);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>A string property; non-blank ones must hold a non-space character, as the reader demands.</summary>
    private static void StringProperty(Utf8JsonWriter w, string name, string description, bool nonBlank)
    {
        w.WriteStartObject(name);
        w.WriteString("description", description);
        w.WriteString("type", "string");
        if (nonBlank) w.WriteString("pattern", "\\S");
        w.WriteEndObject();
    }

    private static void Enum(Utf8JsonWriter w, IReadOnlyList<string> values)
    {
        w.WriteString("type", "string");
        w.WriteStartArray("enum");
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
