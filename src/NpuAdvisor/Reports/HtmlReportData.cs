using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Reports;

/// <summary>
/// The JSON the HTML report's script renders: the main subgraph with its layout, and per target the
/// placement, estimates, segments and findings. The default JavaScript encoder escapes &lt; &gt; &amp; quotes
/// and every non-ASCII character (U+2028/2029 included), so the block cannot end its script element.
/// </summary>
internal static class HtmlReportData
{
    public static byte[] Build(Graph graph, IReadOnlyList<TargetResult> results)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            var main = graph.Main;
            var layout = HtmlGraphLayout.Of(main);
            w.WriteStartObject();
            WriteModel(w, graph);
            WriteGraph(w, graph, main, layout);
            w.WriteStartArray("targets");
            foreach (var r in results) WriteTarget(w, r, main);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void WriteModel(Utf8JsonWriter w, Graph graph)
    {
        w.WriteStartObject("model");
        w.WriteString("path", graph.Path);
        w.WriteString("file", Path.GetFileName(graph.Path));
        w.WriteString("format", graph.Format);
        w.WriteString("description", graph.Description);
        w.WriteNumber("fileSize", graph.FileSize);
        w.WriteString("layout", graph.Layout.ToString().ToUpperInvariant());
        w.WriteNumber("subgraphs", graph.Subgraphs.Count);
        w.WriteNumber("totalOps", graph.Subgraphs.Sum(s => s.Operators.Count));
        w.WriteStartArray("properties");
        foreach (var (k, v) in graph.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) Pair(w, k, v);
        foreach (var m in graph.Metadata) Pair(w, "metadata " + m.Name, $"{m.Data.Length} bytes");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteGraph(Utf8JsonWriter w, Graph graph, Subgraph main, HtmlGraphLayout layout)
    {
        w.WriteStartObject("graph");
        w.WriteString("name", main.Name);
        w.WriteNumber("width", Math.Round(layout.Width));
        w.WriteNumber("height", Math.Round(layout.Height));

        w.WriteStartArray("tensors");
        foreach (var t in main.Tensors)
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            w.WriteString("shape", t.Shape.ToString());
            w.WriteString("type", t.Type.Name());
            w.WriteString("quant", QuantText(t.Quantization));
            w.WriteBoolean("const", t.IsConstant);
            if (t.ByteSize is { } b) w.WriteNumber("bytes", b);
            if (t.Sparsity is not null) w.WriteBoolean("sparse", true);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("ops");
        foreach (var op in main.Operators)
        {
            var n = layout.Ops[op.Index];
            w.WriteStartObject();
            w.WriteNumber("index", op.Index);
            w.WriteString("type", op.TypeName);
            w.WriteString("name", op.Name);
            w.WriteNumber("version", op.Version);
            w.WriteNumber("x", Math.Round(n.X, 1));
            w.WriteNumber("y", Math.Round(n.Y, 1));
            w.WriteNumber("layer", n.Layer);
            w.WriteNumber("macs", graph.Macs(op));
            w.WriteNumber("paramBytes", op.ParameterBytes());
            w.WriteStartArray("inputs");
            foreach (var t in op.Inputs) w.WriteNumberValue(t?.Index ?? -1);
            w.WriteEndArray();
            w.WriteStartArray("outputs");
            foreach (var t in op.Outputs) w.WriteNumberValue(t.Index);
            w.WriteEndArray();
            w.WriteStartArray("attrs");
            foreach (var (k, v) in Attributes(op.Attributes)) Pair(w, k, v);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();

        WriteIo(w, "inputs", layout.Inputs, main.Inputs.Where(t => !t.IsConstant).Distinct().ToList());
        WriteIo(w, "outputs", layout.Outputs, main.Outputs.Distinct().ToList());

        w.WriteStartArray("edges");
        foreach (var e in layout.Edges)
        {
            w.WriteStartObject();
            w.WriteString("from", NodeId(e.From));
            w.WriteString("to", NodeId(e.To));
            w.WriteNumber("tensor", e.Tensor.Index);
            w.WriteStartArray("points");
            foreach (var (x, y) in e.Points)
            {
                w.WriteNumberValue(Math.Round(x, 1));
                w.WriteNumberValue(Math.Round(y, 1));
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteIo(Utf8JsonWriter w, string name, IReadOnlyList<HtmlGraphLayout.Node> nodes, IReadOnlyList<Tensor> tensors)
    {
        w.WriteStartArray(name);
        for (var i = 0; i < nodes.Count; i++)
        {
            w.WriteStartObject();
            w.WriteString("id", NodeId(nodes[i]));
            w.WriteNumber("tensor", tensors[i].Index);
            w.WriteNumber("x", Math.Round(nodes[i].X, 1));
            w.WriteNumber("y", Math.Round(nodes[i].Y, 1));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static string NodeId(HtmlGraphLayout.Node n) => n.Kind switch
    {
        HtmlGraphLayout.NodeKind.Input => "in-" + n.Index.ToString(CultureInfo.InvariantCulture),
        HtmlGraphLayout.NodeKind.Output => "out-" + n.Index.ToString(CultureInfo.InvariantCulture),
        _ => "op-" + n.Index.ToString(CultureInfo.InvariantCulture),
    };

    private static void WriteTarget(Utf8JsonWriter w, TargetResult r, Subgraph main)
    {
        var s = r.Summary;
        w.WriteStartObject();
        w.WriteString("id", r.Target.Id);
        w.WriteString("name", r.Target.Name);
        w.WriteString("description", r.Target.Description);
        if (r.EstimateMs is { } est) w.WriteNumber("estimateMs", est);

        w.WriteStartObject("summary");
        w.WriteNumber("ops", s.Ops);
        w.WriteNumber("npuOps", s.NpuOps);
        w.WriteNumber("cpuOps", s.CpuOps);
        w.WriteNumber("segments", s.Segments);
        if (s.FirstCpuOp is { } first) w.WriteNumber("firstCpuOp", first);
        w.WriteNumber("npuMacFraction", s.NpuMacFraction);
        w.WriteNumber("totalMacs", s.TotalMacs);
        w.WriteStartObject("findingsByKind");
        foreach (var (k, n) in s.FindingsByKind) w.WriteNumber(k.Name(), n);
        w.WriteEndObject();
        var estimated = r.Ops.Where(o => o.EstimateMs is not null).ToList();
        if (estimated.Count > 0)
        {
            w.WriteNumber("npuMs", estimated.Where(o => o.Placement.OnNpu()).Sum(o => o.EstimateMs!.Value));
            w.WriteNumber("cpuMs", estimated.Where(o => !o.Placement.OnNpu()).Sum(o => o.EstimateMs!.Value));
        }
        w.WriteEndObject();

        var mainOps = r.Ops.Where(o => o.Op.SubgraphIndex == main.Index).ToDictionary(o => o.Op.Index);
        var segmentOf = new Dictionary<int, int>();
        foreach (var seg in r.Segments)
            foreach (var op in seg.Ops)
                segmentOf[op.Index] = seg.Index;
        var findings = FindingOrder(r).ToList();
        var findingIndex = new Dictionary<Finding, int>();
        for (var i = 0; i < findings.Count; i++) findingIndex.TryAdd(findings[i], i);

        w.WriteStartArray("ops");
        foreach (var op in main.Operators)
        {
            var o = mainOps.GetValueOrDefault(op.Index);
            w.WriteStartObject();
            w.WriteString("placement", (o?.Placement ?? Placement.Cpu).Name());
            if (o?.EstimateMs is { } ms) w.WriteNumber("ms", ms);
            if (o?.Bound is { } bound) w.WriteString("bound", bound);
            if (segmentOf.TryGetValue(op.Index, out var si)) w.WriteNumber("segment", si);
            w.WriteStartArray("findings");
            if (o is not null)
                foreach (var f in o.Findings) w.WriteNumberValue(findingIndex[f]);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("segments");
        foreach (var seg in r.Segments)
        {
            w.WriteStartObject();
            w.WriteNumber("index", seg.Index);
            w.WriteBoolean("npu", seg.OnNpu);
            w.WriteNumber("first", seg.Ops.Count > 0 ? seg.Ops[0].Index : -1);
            w.WriteNumber("count", seg.Ops.Count);
            w.WriteNumber("bytesIn", seg.BytesIn);
            w.WriteNumber("bytesOut", seg.BytesOut);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("findings");
        foreach (var f in findings)
        {
            w.WriteStartObject();
            w.WriteString("rule", f.Rule.Id);
            w.WriteString("kind", f.Kind.Name());
            w.WriteString("summary", f.Rule.Summary);
            w.WriteString("help", f.Rule.Help);
            w.WriteString("source", f.Rule.Source);
            w.WriteString("message", f.Message);
            w.WriteString("fix", f.Fix);
            if (f.SavesMs is { } saves) w.WriteNumber("savesMs", saves);
            if (f.Op is { } op)
            {
                w.WriteNumber("subgraph", op.SubgraphIndex);
                w.WriteNumber("op", op.Index);
                w.WriteString("opType", op.TypeName);
                w.WriteString("opName", op.Name);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Largest saving first (unestimated last), then by kind (unsupported first), then by position in the graph.</summary>
    public static IEnumerable<Finding> FindingOrder(TargetResult r) =>
        r.AllFindings
            .OrderBy(f => f.SavesMs is null)
            .ThenByDescending(f => f.SavesMs ?? 0)
            .ThenBy(f => f.Kind)
            .ThenBy(f => f.Op?.SubgraphIndex ?? -1)
            .ThenBy(f => f.Op?.Index ?? -1);

    private static void Pair(Utf8JsonWriter w, string key, string value)
    {
        w.WriteStartArray();
        w.WriteStringValue(key);
        w.WriteStringValue(value);
        w.WriteEndArray();
    }

    internal static string QuantText(Quantization q) => q.Kind switch
    {
        QuantizationKind.None => "none",
        QuantizationKind.PerTensor => string.Create(CultureInfo.InvariantCulture, $"scale {q.Scale:G6}, zp {q.ZeroPoint}"),
        _ => string.Create(CultureInfo.InvariantCulture,
            $"per-axis ×{q.Scales.Length} (axis {q.Axis}), scale {q.Scales.Min():G4}…{q.Scales.Max():G4}, zp {(q.ZeroPoints.All(z => z == 0) ? "0" : "mixed")}"),
    };

    /// <summary>The typed attributes as name/value text, read from the record's public properties.</summary>
    internal static IEnumerable<(string Name, string Value)> Attributes(OpAttributes? attrs)
    {
        if (attrs is null) yield break;
        foreach (var p in attrs.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.Name == "EqualityContract" || p.GetIndexParameters().Length > 0) continue;
            yield return (p.Name, ValueText(p.GetValue(attrs)));
        }
    }

    private static string ValueText(object? v) => v switch
    {
        null => "—",
        string s => s,
        bool b => b ? "true" : "false",
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        Padding2D p => string.Create(CultureInfo.InvariantCulture, $"{p.Kind} (top {p.Top}, bottom {p.Bottom}, left {p.Left}, right {p.Right})"),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Runtime.CompilerServices.ITuple t => "(" + string.Join(", ", Enumerable.Range(0, t.Length).Select(i => ValueText(t[i]))) + ")",
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(ValueText)) + "]",
        _ => v.ToString() ?? "",
    };
}
