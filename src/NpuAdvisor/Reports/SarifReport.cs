using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NpuAdvisor.Analysis;
using NpuAdvisor.Baselines;
using NpuAdvisor.Config;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Reports;

/// <summary>
/// SARIF 2.1.0 for code-scanning tools: one run, the rules of the given targets (plus any rule a finding
/// names that no target lists), one result per finding located at the model file and its operator. A finding a config
/// suppresses carries an external suppression with the reason as justification; against a baseline every result has a
/// baselineState, and baseline findings no longer found are emitted as absent results. Stale suppressions are
/// tool-configuration notifications of the invocation.
/// </summary>
public static class SarifReport
{
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    public const string ToolName = "npu-advisor";
    public const string FingerprintName = "npuAdvisorFinding/v2";

    /// <summary>SARIF level of a rule kind: only an op leaving the NPU is an error; model-wide facts are notes.</summary>
    public static string Level(RuleKind kind) => kind switch
    {
        RuleKind.Unsupported => "error",
        RuleKind.Performance or RuleKind.Accuracy => "warning",
        _ => "note",
    };

    public static void Write(IReadOnlyList<(string ModelPath, IReadOnlyList<TargetResult> Results)> models, IReadOnlyList<Target> targets, Stream stream,
        IReadOnlyList<Suppression>? stale = null)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.Default });
        Write(models, targets, writer, stale);
    }

    public static void Write(IReadOnlyList<(string ModelPath, IReadOnlyList<TargetResult> Results)> models, IReadOnlyList<Target> targets, Utf8JsonWriter w,
        IReadOnlyList<Suppression>? stale = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(w);
        var rules = new List<Rule>();
        var ruleIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        void AddRule(Rule r)
        {
            if (ruleIndex.TryAdd(r.Id, rules.Count)) rules.Add(r);
        }
        foreach (var t in targets)
            foreach (var r in t.Rules) AddRule(r);
        foreach (var (_, results) in models)
            foreach (var res in results)
                foreach (var f in res.AllFindings) AddRule(f.Rule);

        w.WriteStartObject();
        w.WriteString("$schema", SchemaUri);
        w.WriteString("version", "2.1.0");
        w.WriteStartArray("runs");
        w.WriteStartObject();

        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", ToolName);
        w.WriteString("version", HtmlReport.Version);
        w.WriteString("semanticVersion", HtmlReport.Version);
        w.WriteStartArray("rules");
        foreach (var r in rules) WriteRule(w, r);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();

        if (stale is { Count: > 0 }) WriteInvocation(w, stale);

        w.WriteStartArray("artifacts");
        foreach (var (path, results) in models)
        {
            w.WriteStartObject();
            w.WriteStartObject("location");
            w.WriteString("uri", ArtifactUri(path));
            w.WriteEndObject();
            if (results.FirstOrDefault()?.Graph.FileSize is > 0 and var size) w.WriteNumber("length", size);
            w.WriteStartArray("roles");
            w.WriteStringValue("analysisTarget");
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("results");
        for (var m = 0; m < models.Count; m++)
        {
            var (path, results) = models[m];
            var prints = FindingFingerprint.Of(results, ArtifactUri(path));
            foreach (var res in results)
            {
                foreach (var f in res.AllFindings)
                    WriteResult(w, f, res, ruleIndex[f.Rule.Id], path, m, prints[f]);
                foreach (var a in res.Absent ?? [])
                    for (var n = 0; n < a.Count; n++)
                        WriteAbsent(w, a, res, ruleIndex.TryGetValue(a.Rule, out var ri) ? ri : null, path, m);
            }
        }
        w.WriteEndArray();

        w.WriteStartObject("properties");
        w.WriteStartArray("targets");
        foreach (var t in targets)
        {
            w.WriteStartObject();
            w.WriteString("id", t.Id);
            w.WriteString("name", t.Name);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("summaries");
        foreach (var (path, results) in models)
            foreach (var res in results)
            {
                var s = res.Summary;
                w.WriteStartObject();
                w.WriteString("model", ArtifactUri(path));
                w.WriteString("target", res.Target.Id);
                w.WriteNumber("ops", s.Ops);
                w.WriteNumber("npuOps", s.NpuOps);
                w.WriteNumber("npuMacFraction", Math.Round(s.NpuMacFraction, 6));
                w.WriteNumber("segments", s.Segments);
                if (res.EstimateMs is { } est) w.WriteNumber("estimateMs", est);
                w.WriteEndObject();
            }
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
    }

    private static void WriteRule(Utf8JsonWriter w, Rule r)
    {
        w.WriteStartObject();
        w.WriteString("id", r.Id);
        Text(w, "shortDescription", r.Summary);
        Text(w, "fullDescription", r.Help);
        Text(w, "help", $"{r.Help}\nFix: {r.Fix}\nSource: {r.Source}");
        w.WriteStartObject("defaultConfiguration");
        w.WriteString("level", Level(r.Kind));
        w.WriteEndObject();
        w.WriteStartObject("properties");
        w.WriteString("kind", r.Kind.Name());
        if (r.FixKind != FixKind.None) w.WriteString("fixKind", r.FixKind.ToString());
        w.WriteStartArray("tags");
        w.WriteStringValue("npu");
        w.WriteStringValue(r.Kind.Name());
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter w, Finding f, TargetResult res, int ruleIndex, string path, int artifactIndex, string fingerprint)
    {
        var op = f.Op;
        w.WriteStartObject();
        w.WriteString("ruleId", f.Rule.Id);
        w.WriteNumber("ruleIndex", ruleIndex);
        w.WriteString("level", Level(f.Kind));
        var where = op is null ? "model" : $"{op.TypeName} '{op.Name}' (op {op.Index.ToString(CultureInfo.InvariantCulture)})";
        Text(w, "message", $"{res.Target.Name}: {where}: {f.Message}. Fix: {f.Fix}");
        WriteLocation(w, path, artifactIndex, op?.Name, op is null ? null : FullyQualifiedName(res, op));
        w.WriteStartObject("partialFingerprints");
        // v2: stable across re-exports of the file (no op index; the file's URI keeps two models' findings apart).
        w.WriteString(FingerprintName, fingerprint);
        w.WriteEndObject();
        if (f.BaselineState is { } state) w.WriteString("baselineState", state.Name());
        if (f.Suppression is { } sup)
        {
            w.WriteStartArray("suppressions");
            w.WriteStartObject();
            w.WriteString("kind", "external");
            w.WriteString("status", "accepted");
            w.WriteString("justification", sup.Reason);
            w.WriteStartObject("location");
            w.WriteStartObject("physicalLocation");
            w.WriteStartObject("artifactLocation");
            w.WriteString("uri", ArtifactUri(sup.ConfigPath));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteStartObject("properties");
        w.WriteString("target", res.Target.Id);
        w.WriteString("targetName", res.Target.Name);
        w.WriteString("kind", f.Kind.Name());
        if (op is not null)
        {
            w.WriteString("opType", op.TypeName);
            w.WriteString("placement", res.Ops.FirstOrDefault(o => ReferenceEquals(o.Op, op))?.Placement.Name() ?? "cpu");
        }
        if (f.SavesMs is { } saves) w.WriteNumber("savesMs", saves);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The model file as physical location and, for an op, the op as logical location (its full name when known).</summary>
    private static void WriteLocation(Utf8JsonWriter w, string path, int artifactIndex, string? opName, string? fullyQualifiedName)
    {
        w.WriteStartArray("locations");
        w.WriteStartObject();
        w.WriteStartObject("physicalLocation");
        w.WriteStartObject("artifactLocation");
        w.WriteString("uri", ArtifactUri(path));
        w.WriteNumber("index", artifactIndex);
        w.WriteEndObject();
        // A model file has no lines, but GitHub code scanning places an alert only with region.startLine:
        // line 1 stands for the whole file; the operator is named by the logical location.
        w.WriteStartObject("region");
        w.WriteNumber("startLine", 1);
        w.WriteEndObject();
        w.WriteEndObject();
        if (opName is not null)
        {
            w.WriteStartArray("logicalLocations");
            w.WriteStartObject();
            w.WriteString("name", opName);
            if (fullyQualifiedName is not null) w.WriteString("fullyQualifiedName", fullyQualifiedName);
            w.WriteString("kind", "function");
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteEndArray();
    }

    /// <summary>A baseline finding the run no longer finds: SARIF's absent result, at the model it was matched to.</summary>
    private static void WriteAbsent(Utf8JsonWriter w, BaselineEntry a, TargetResult res, int? ruleIndex, string path, int artifactIndex)
    {
        w.WriteStartObject();
        w.WriteString("ruleId", a.Rule);
        if (ruleIndex is { } ri) w.WriteNumber("ruleIndex", ri);
        w.WriteString("level", Level(a.Kind));
        var where = a.Op is null ? "model" : $"{a.OpType} '{a.Op}'";
        Text(w, "message", $"{res.Target.Name}: {where}: no longer found (in the baseline: {a.Message})");
        WriteLocation(w, path, artifactIndex, a.Op, null);
        w.WriteString("baselineState", "absent");
        w.WriteStartObject("properties");
        w.WriteString("target", res.Target.Id);
        w.WriteString("targetName", res.Target.Name);
        w.WriteString("kind", a.Kind.Name());
        if (a.OpType is { } t) w.WriteString("opType", t);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Stale suppressions as warnings about the tool's configuration, located at the config file.</summary>
    private static void WriteInvocation(Utf8JsonWriter w, IReadOnlyList<Suppression> stale)
    {
        w.WriteStartArray("invocations");
        w.WriteStartObject();
        w.WriteBoolean("executionSuccessful", true);
        w.WriteStartArray("toolConfigurationNotifications");
        foreach (var s in stale)
        {
            w.WriteStartObject();
            w.WriteStartObject("descriptor");
            w.WriteString("id", StaleSuppressionId);
            w.WriteEndObject();
            w.WriteString("level", "warning");
            Text(w, "message", s.StaleWarning());
            w.WriteStartArray("locations");
            w.WriteStartObject();
            w.WriteStartObject("physicalLocation");
            w.WriteStartObject("artifactLocation");
            w.WriteString("uri", ArtifactUri(s.ConfigPath));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    public const string StaleSuppressionId = "stale-suppression";

    /// <summary>subgraph/op-index/op-name, the subgraph by name when it has one.</summary>
    public static string FullyQualifiedName(TargetResult res, Model.Operator op)
    {
        var sg = op.SubgraphIndex >= 0 && op.SubgraphIndex < res.Graph.Subgraphs.Count ? res.Graph.Subgraphs[op.SubgraphIndex].Name : "";
        var sgName = string.IsNullOrEmpty(sg) ? op.SubgraphIndex.ToString(CultureInfo.InvariantCulture) : sg;
        return $"{sgName}/{op.Index.ToString(CultureInfo.InvariantCulture)}/{op.Name}";
    }

    /// <summary>A relative path stays a relative URI reference (forward slashes, each segment escaped); an absolute one becomes file://.</summary>
    public static string ArtifactUri(string path)
    {
        var segments = path.Replace('\\', '/').Split('/');
        var escaped = string.Join('/', segments.Select((seg, i) =>
            i <= 1 && seg.Length == 2 && seg[1] == ':' && char.IsAsciiLetter(seg[0]) ? seg : Uri.EscapeDataString(seg)));
        if (!Path.IsPathFullyQualified(path)) return escaped;
        return "file://" + (escaped.StartsWith('/') ? escaped : "/" + escaped);
    }

    private static void Text(Utf8JsonWriter w, string name, string text)
    {
        w.WriteStartObject(name);
        w.WriteString("text", text);
        w.WriteEndObject();
    }
}
