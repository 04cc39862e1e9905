using System.Text.Json;
using NpuAdvisor.Analysis;
using NpuAdvisor.Config;
using NpuAdvisor.Reports;

namespace NpuAdvisor.Baselines;

/// <summary>
/// The baseline on disk: {"tool","version","format":1,"models":[{"file","findings":[{"target","rule","kind","op_type","op","count","message"}]}]},
/// entries sorted so the file diffs well under version control. Read as strictly as the config.
/// </summary>
public static class BaselineFile
{
    public const long MaxBytes = 64L << 20;

    private static readonly string[] TopKeys = ["tool", "version", "format", "models"];
    private static readonly string[] ModelKeys = ["file", "findings"];
    private static readonly string[] EntryKeys = ["target", "rule", "kind", "op_type", "op", "count", "message"];

    public static void Write(Baseline baseline, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, Json.Options);
        w.WriteStartObject();
        w.WriteString("tool", ToolInfo.Name);
        w.WriteString("version", ToolInfo.Version);
        w.WriteNumber("format", Baseline.FormatVersion);
        w.WriteStartArray("models");
        foreach (var m in baseline.Models)
        {
            w.WriteStartObject();
            w.WriteString("file", m.File);
            w.WriteStartArray("findings");
            foreach (var e in m.Findings)
            {
                w.WriteStartObject();
                w.WriteString("target", e.Target);
                WriteEntry(w, e);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>An entry's fields but its target; `check --format json` lists absent findings the same way under their target.</summary>
    public static void WriteEntry(Utf8JsonWriter w, BaselineEntry e)
    {
        w.WriteString("rule", e.Rule);
        w.WriteString("kind", e.Kind.Name());
        if (e.OpType is { } t) w.WriteString("op_type", t); else w.WriteNull("op_type");
        if (e.Op is { } o) w.WriteString("op", o); else w.WriteNull("op");
        w.WriteNumber("count", e.Count);
        w.WriteString("message", e.Message);
    }

    public static Baseline Read(string path)
    {
        using var f = UserJsonFile.Read(path, MaxBytes);
        var top = f.Object(f.Root, [], TopKeys);
        if (!top.TryGetValue("format", out var format) || format.ValueKind != JsonValueKind.Number || !format.TryGetInt32(out var v) || v != Baseline.FormatVersion)
            throw f.Error(["format"], $"not an npu-advisor baseline of format {Baseline.FormatVersion} (write one with check --write-baseline)");
        if (!top.TryGetValue("models", out var models)) throw f.Error([], "a baseline needs \"models\"");
        return new Baseline { Models = f.Array(models, ["models"]).Select((m, i) => ReadModel(f, m, ["models", i])).ToList() };
    }

    private static BaselineModel ReadModel(UserJsonFile f, JsonElement e, object[] at)
    {
        var p = f.Object(e, at, ModelKeys);
        var file = p.TryGetValue("file", out var name) ? f.String(name, UserJsonFile.At(at, "file"), nonBlank: false) : "";
        var findings = p.TryGetValue("findings", out var list)
            ? f.Array(list, UserJsonFile.At(at, "findings")).Select((x, i) => ReadEntry(f, x, UserJsonFile.At(UserJsonFile.At(at, "findings"), i))).ToList()
            : [];
        return new BaselineModel(file, findings);
    }

    private static BaselineEntry ReadEntry(UserJsonFile f, JsonElement e, object[] at)
    {
        var p = f.Object(e, at, EntryKeys);
        string Required(string key) => p.TryGetValue(key, out var v) ? f.String(v, UserJsonFile.At(at, key)) : throw f.Error(at, $"a baseline entry needs \"{key}\"");
        string? Optional(string key) => p.TryGetValue(key, out var v) && v.ValueKind != JsonValueKind.Null ? f.String(v, UserJsonFile.At(at, key), nonBlank: false) : null;
        var kindName = Required("kind");
        var kinds = Enum.GetValues<RuleKind>().Select(k => k.Name()).ToList();
        if (!kinds.Contains(kindName)) throw f.Unknown(UserJsonFile.At(at, "kind"), "kind", kindName, kinds);
        var count = 1;
        if (p.TryGetValue("count", out var c) && (c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out count) || count < 1))
            throw f.Error(UserJsonFile.At(at, "count"), "must be a whole number of at least 1");
        return new BaselineEntry(Required("target"), Required("rule"), Enum.GetValues<RuleKind>().First(k => k.Name() == kindName),
            Optional("op_type"), Optional("op"), Optional("message") ?? "", count);
    }
}
