using System.Text.Json;
using NpuAdvisor.Analysis;
using NpuAdvisor.Baselines;
using NpuAdvisor.Config;

namespace NpuAdvisor.Reports;

/// <summary>
/// The `check --format json` document. Shape (documented in README.md; scripts rely on it):
/// {"tool","version","models":[{"path","format","targets":[{"target","summary":{…},"ops":[…],"findings":[…],"absent_findings"}]}],
/// "stale_suppressions":[…]}; a model that could not be read has "error" instead of "format"/"targets". Every finding
/// says whether a config suppresses it ("suppressed", "suppression_reason") and its "baseline_state" (new, unchanged, or
/// null without --baseline); "absent_findings" lists the baseline entries the run no longer finds (null without --baseline).
/// </summary>
public static class CheckJson
{
    public static void Write(Stream stream, IEnumerable<ModelAnalysis> models, IReadOnlyList<Suppression>? stale = null)
    {
        using var w = new Utf8JsonWriter(stream, Json.Options);
        w.WriteStartObject();
        w.WriteString("tool", ToolInfo.Name);
        w.WriteString("version", ToolInfo.Version);
        w.WriteStartArray("models");
        foreach (var m in models) WriteModel(w, m);
        w.WriteEndArray();
        w.WriteStartArray("stale_suppressions");
        foreach (var s in stale ?? [])
        {
            w.WriteStartObject();
            w.WriteString("config", s.ConfigPath);
            w.WriteNumber("index", s.Index);
            WriteSuppression(w, s);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSuppression(Utf8JsonWriter w, Suppression s)
    {
        w.WriteString("rule", s.Rule);
        if (s.Target is { } t) w.WriteString("target", t); else w.WriteNull("target");
        if (s.Op is { } op) w.WriteString("op", op); else w.WriteNull("op");
        w.WriteString("reason", s.Reason);
    }

    private static void WriteModel(Utf8JsonWriter w, ModelAnalysis m)
    {
        w.WriteStartObject();
        w.WriteString("path", m.Path);
        if (m.Error is { } e || m.Graph is null)
        {
            w.WriteString("error", m.Error?.Message ?? "not analysed");
            w.WriteEndObject();
            return;
        }
        w.WriteString("format", m.Graph.Format);
        w.WriteStartArray("targets");
        foreach (var r in m.Results) WriteTarget(w, r);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTarget(Utf8JsonWriter w, TargetResult r)
    {
        var s = r.Summary;
        w.WriteStartObject();
        w.WriteString("target", r.Target.Id);
        w.WriteStartObject("summary");
        w.WriteNumber("ops", s.Ops);
        w.WriteNumber("npu_ops", s.NpuOps);
        w.WriteNumber("cpu_ops", s.CpuOps);
        w.WriteNumber("segments", s.Segments);
        if (s.FirstCpuOp is { } first) w.WriteNumber("first_cpu_op", first); else w.WriteNull("first_cpu_op");
        w.WriteNumber("npu_mac_fraction", Json.Round(s.NpuMacFraction));
        w.WriteNumber("macs", s.TotalMacs);
        w.WriteNumberOrNull("estimate_ms", r.EstimateMs, 3);
        w.WriteStartObject("findings_by_kind");
        foreach (var (kind, n) in s.FindingsByKind) w.WriteNumber(kind.Name(), n);
        w.WriteEndObject();
        w.WriteNumber("suppressed", s.Suppressed);
        if (r.Absent is { } absent)
        {
            w.WriteStartObject("baseline");
            w.WriteNumber("new", r.AllFindings.Count(f => f.BaselineState == BaselineState.New));
            w.WriteNumber("unchanged", r.AllFindings.Count(f => f.BaselineState == BaselineState.Unchanged));
            w.WriteNumber("absent", absent.Sum(a => a.Count));
            w.WriteEndObject();
        }
        else w.WriteNull("baseline");
        w.WriteEndObject();

        w.WriteStartArray("ops");
        foreach (var o in r.Ops)
        {
            w.WriteStartObject();
            w.WriteNumber("index", o.Op.Index);
            w.WriteNumber("subgraph", o.Op.SubgraphIndex);
            w.WriteString("type", o.Op.TypeName);
            w.WriteString("name", o.Op.Name);
            w.WriteStartArray("outputs");
            foreach (var t in o.Op.Outputs) w.WriteStringValue(t.Name);
            w.WriteEndArray();
            w.WriteString("placement", o.Placement.Name());
            w.WriteNumber("macs", o.Macs);
            w.WriteNumberOrNull("estimate_ms", o.EstimateMs, 4);
            if (o.Bound is { } b) w.WriteString("bound", b); else w.WriteNull("bound");
            WriteFindings(w, o.Findings);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteFindings(w, r.ModelFindings);
        if (r.Absent is { } gone)
        {
            w.WriteStartArray("absent_findings");
            foreach (var a in gone)
            {
                w.WriteStartObject();
                BaselineFile.WriteEntry(w, a);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        else w.WriteNull("absent_findings");
        w.WriteEndObject();
    }

    private static void WriteFindings(Utf8JsonWriter w, IEnumerable<Finding> findings)
    {
        w.WriteStartArray("findings");
        foreach (var f in findings)
        {
            w.WriteStartObject();
            w.WriteString("rule", f.Rule.Id);
            w.WriteString("kind", f.Kind.Name());
            w.WriteString("message", f.Message);
            w.WriteString("fix", f.Fix);
            w.WriteNumberOrNull("saves_ms", f.SavesMs, 4);
            w.WriteBoolean("suppressed", f.Suppression is not null);
            if (f.Suppression is { } s) w.WriteString("suppression_reason", s.Reason); else w.WriteNull("suppression_reason");
            if (f.BaselineState is { } b) w.WriteString("baseline_state", b.Name()); else w.WriteNull("baseline_state");
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
