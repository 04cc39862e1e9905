using System.Text;
using System.Text.Json;
using NpuAdvisor.Analysis;
using NpuAdvisor.Rewrite;

namespace NpuAdvisor.Reports;

/// <summary>`fix --format json`: the same content as the table (applied, not applied, before → after).</summary>
public static class FixJson
{
    public static string Render(string input, string? output, bool dryRun, FixResult r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", input);
            if (output is null) w.WriteNull("output"); else w.WriteString("output", output);
            w.WriteBoolean("dry_run", dryRun);
            w.WriteString("target", r.TargetId);
            w.WriteString("format", r.Format);
            w.WriteStartArray("passes");
            foreach (var p in r.Passes) w.WriteStringValue(p);
            w.WriteEndArray();
            if (r.NotWritable is { } why) w.WriteString("not_writable", why);
            w.WriteStartArray("applied");
            foreach (var a in r.Applied)
            {
                w.WriteStartObject();
                w.WriteString("pass", a.Pass);
                w.WriteString("what", a.What);
                Ops(w, a.Ops);
                w.WriteStartArray("rules_resolved");
                foreach (var id in a.RulesResolved) w.WriteStringValue(id);
                w.WriteEndArray();
                w.WriteNumber("estimate_before_ms", Math.Round(a.EstimateBeforeMs, 6));
                w.WriteNumber("estimate_after_ms", Math.Round(a.EstimateAfterMs, 6));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("not_applied");
            foreach (var d in r.Declined)
            {
                w.WriteStartObject();
                w.WriteString("pass", d.Pass);
                w.WriteString("what", d.What);
                Ops(w, d.Ops);
                w.WriteString("reason", d.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Figures(w, "before", r.Before);
            Figures(w, "after", r.After);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void Ops(Utf8JsonWriter w, IReadOnlyList<FixOp> ops)
    {
        w.WriteStartArray("ops");
        foreach (var o in ops)
        {
            w.WriteStartObject();
            w.WriteNumber("index", o.Index);
            w.WriteString("type", o.Type);
            w.WriteString("name", o.Name);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Figures(Utf8JsonWriter w, string name, FixFigures f)
    {
        w.WriteStartObject(name);
        w.WriteNumber("ops", f.Ops);
        w.WriteNumber("npu_ops", f.NpuOps);
        w.WriteNumber("segments", f.Segments);
        w.WriteStartObject("findings");
        foreach (var k in Enum.GetValues<RuleKind>()) w.WriteNumber(k.Name(), f.FindingsByKind.GetValueOrDefault(k));
        w.WriteEndObject();
        w.WriteNumber("estimate_ms", Math.Round(f.EstimateMs, 6));
        w.WriteEndObject();
    }
}
