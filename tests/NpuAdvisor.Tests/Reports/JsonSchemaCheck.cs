using System.Text.Json;
using Json.Schema;

namespace NpuAdvisor.Tests.Reports;

/// <summary>Validates JSON against a schema file of the repository and lists every violation (instance location and message).</summary>
public static class JsonSchemaCheck
{
    public static string SarifSchemaPath => Path.Combine(SharedModels.RepoRoot, "tests", "NpuAdvisor.Tests", "Reports", "Schemas", "sarif-2.1.0.json");

    public static string ConfigSchemaPath => Path.Combine(SharedModels.RepoRoot, "docs", "npu-advisor.schema.json");

    private static readonly Dictionary<string, JsonSchema> Loaded = [];

    public static IReadOnlyList<string> Errors(string schemaPath, JsonElement instance)
    {
        JsonSchema schema;
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(schemaPath, out schema!))
                Loaded[schemaPath] = schema = JsonSchema.FromText(File.ReadAllText(schemaPath), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid) return [];
        return (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid (no detail)").ToList();
    }

    public static IReadOnlyList<string> Errors(string schemaPath, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Errors(schemaPath, doc.RootElement);
    }
}
