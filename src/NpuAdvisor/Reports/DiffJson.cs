using System.Text.Json;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Reports;

/// <summary>
/// The `diff --format json` document (documented in README.md):
/// {"tool","version","old","new","note","regression","unchanged","matching":{…},"targets":[{"target",…}]}.
/// Ops are {"subgraph","index","type","name"} of their own version; times in ms.
/// </summary>
public static class DiffJson
{
    public static void Write(Stream s, ModelDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        using var w = new Utf8JsonWriter(s, Json.Options);
        w.WriteStartObject();
        w.WriteString("tool", ToolInfo.Name);
        w.WriteString("version", ToolInfo.Version);
        w.WriteString("old", diff.Old.Path);
        w.WriteString("new", diff.New.Path);
        w.WriteString("note", EstimateJson.Disclaimer);
        w.WriteBoolean("regression", diff.Regressed);
        w.WriteBoolean("unchanged", diff.Unchanged);
        WriteMatching(w, diff.Matching);
        w.WriteStartArray("targets");
        foreach (var t in diff.Targets) WriteTarget(w, t);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static string Render(ModelDiff diff)
    {
        using var s = new MemoryStream();
        Write(s, diff);
        return System.Text.Encoding.UTF8.GetString(s.ToArray());
    }

    private static void WriteMatching(Utf8JsonWriter w, OpMatching m)
    {
        w.WriteStartObject("matching");
        w.WriteNumber("by_name", m.Count(MatchedBy.Name));
        w.WriteNumber("by_type_and_position", m.Count(MatchedBy.TypeAndPosition));
        w.WriteNumber("added", m.Added.Count);
        w.WriteNumber("removed", m.Removed.Count);
        w.WriteStartArray("pairs_by_type_and_position");
        foreach (var p in m.Pairs.Where(p => p.By == MatchedBy.TypeAndPosition))
        {
            w.WriteStartObject();
            WriteOp(w, "old", p.Old);
            WriteOp(w, "new", p.New);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTarget(Utf8JsonWriter w, TargetDiff t)
    {
        w.WriteStartObject();
        w.WriteString("target", t.Target.Id);
        w.WriteBoolean("regression", t.Regressed);
        w.WriteBoolean("slower", t.Slower);
        w.WriteBoolean("more_cpu_ops", t.MoreCpuOps);
        w.WriteBoolean("unchanged", t.Unchanged);
        BeforeAfter(w, "cpu_ops", t.CpuOpsBefore, t.CpuOpsAfter);
        BeforeAfter(w, "segments", t.SegmentsBefore, t.SegmentsAfter);
        BeforeAfter(w, "transitions", t.TransitionsBefore, t.TransitionsAfter);

        w.WriteStartObject("estimate");
        w.WriteNumber("old_ms", Json.Round(t.EstimateBeforeMs));
        w.WriteNumber("new_ms", Json.Round(t.EstimateAfterMs));
        w.WriteNumber("delta_ms", Json.Round(t.DeltaMs));
        w.WriteNumber("transition_delta_ms", Json.Round(t.TransitionDeltaMs));
        w.WriteNumber("other_delta_ms", Json.Round(t.OtherDeltaMs));
        w.WriteStartArray("layers");
        foreach (var l in t.Layers)
        {
            w.WriteStartObject();
            WriteOpOrNull(w, "old", l.Old);
            WriteOpOrNull(w, "new", l.New);
            w.WriteNumber("old_ms", Json.Round(l.OldMs));
            w.WriteNumber("new_ms", Json.Round(l.NewMs));
            w.WriteNumber("delta_ms", Json.Round(l.DeltaMs));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartArray("placement_changes");
        foreach (var p in t.Placements)
        {
            w.WriteStartObject();
            WriteOp(w, "old", p.Op.Old);
            WriteOp(w, "new", p.Op.New);
            w.WriteString("matched_by", p.Op.By.Name());
            w.WriteString("from", p.From.Name());
            w.WriteString("to", p.To.Name());
            w.WriteStartArray("rules");
            foreach (var f in p.Reasons)
            {
                w.WriteStartObject();
                w.WriteString("rule", f.Rule.Id);
                w.WriteString("message", f.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteFindings(w, "findings_added", t.FindingsAdded);
        WriteFindings(w, "findings_removed", t.FindingsRemoved);
        WriteUnmatched(w, "ops_added", t.OpsAdded);
        WriteUnmatched(w, "ops_removed", t.OpsRemoved);
        w.WriteEndObject();
    }

    private static void BeforeAfter(Utf8JsonWriter w, string name, int before, int after)
    {
        w.WriteStartObject(name);
        w.WriteNumber("old", before);
        w.WriteNumber("new", after);
        w.WriteEndObject();
    }

    private static void WriteFindings(Utf8JsonWriter w, string name, IReadOnlyList<FindingChange> findings)
    {
        w.WriteStartArray(name);
        foreach (var c in findings)
        {
            w.WriteStartObject();
            w.WriteString("rule", c.Finding.Rule.Id);
            w.WriteString("kind", c.Finding.Kind.Name());
            WriteOpOrNull(w, "op", c.Finding.Op);
            w.WriteString("message", c.Finding.Message);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteUnmatched(Utf8JsonWriter w, string name, IReadOnlyList<UnmatchedOp> ops)
    {
        w.WriteStartArray(name);
        foreach (var u in ops)
        {
            w.WriteStartObject();
            WriteOp(w, "op", u.Op);
            w.WriteString("placement", u.Placement.Name());
            w.WriteNumber("estimate_ms", Json.Round(u.Ms));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteOpOrNull(Utf8JsonWriter w, string name, Operator? op)
    {
        if (op is null) w.WriteNull(name);
        else WriteOp(w, name, op);
    }

    private static void WriteOp(Utf8JsonWriter w, string name, Operator op)
    {
        w.WriteStartObject(name);
        w.WriteNumber("subgraph", op.SubgraphIndex);
        w.WriteNumber("index", op.Index);
        w.WriteString("type", op.TypeName);
        w.WriteString("name", op.Name);
        w.WriteEndObject();
    }
}
