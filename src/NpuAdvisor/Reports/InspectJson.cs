using System.Text.Json;
using NpuAdvisor.Model;

namespace NpuAdvisor.Reports;

/// <summary>The `inspect --format json` document (field names documented in README.md).</summary>
public static class InspectJson
{
    public static void Write(Stream stream, Graph g)
    {
        using var w = new Utf8JsonWriter(stream, Json.Options);
        var facts = ModelFacts.Of(g);
        w.WriteStartObject();
        w.WriteString("tool", ToolInfo.Name);
        w.WriteString("version", ToolInfo.Version);
        w.WriteString("path", g.Path);
        w.WriteString("format", g.Format);
        w.WriteNumber("file_size", g.FileSize);
        w.WriteNumber("format_version", g.Version);
        w.WriteString("description", g.Description);
        w.WriteString("layout", g.Layout == TensorLayout.Nhwc ? "nhwc" : "nchw");
        w.WriteString("quantization_scheme", facts.Scheme.Describe());
        w.WriteNumber("operators", facts.Operators);
        w.WriteNumber("parameters", facts.ParameterCount);
        w.WriteNumber("parameter_bytes", facts.ParameterBytes);
        w.WriteNumber("macs", facts.Macs);
        WriteHistogram(w, "op_histogram", facts.OpHistogram);
        w.WriteStartObject("properties");
        foreach (var (k, v) in g.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteStartArray("metadata");
        foreach (var m in g.Metadata) { w.WriteStartObject(); w.WriteString("name", m.Name); w.WriteNumber("bytes", m.Data.Length); w.WriteEndObject(); }
        w.WriteEndArray();
        w.WriteStartArray("subgraphs");
        foreach (var sg in g.Subgraphs)
        {
            w.WriteStartObject();
            w.WriteNumber("index", sg.Index);
            w.WriteString("name", sg.Name);
            w.WriteNumber("tensors", sg.Tensors.Count);
            w.WriteNumber("operators", sg.Operators.Count);
            WriteHistogram(w, "op_histogram", ModelFacts.Histogram(sg.Operators));
            WriteTensors(w, "inputs", sg.Inputs);
            WriteTensors(w, "outputs", sg.Outputs);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("ops");
        foreach (var op in g.AllOperators)
        {
            w.WriteStartObject();
            w.WriteNumber("index", op.Index);
            w.WriteNumber("subgraph", op.SubgraphIndex);
            w.WriteString("type", op.TypeName);
            w.WriteString("name", op.Name);
            WriteTensors(w, "inputs", op.Inputs);
            WriteTensors(w, "outputs", op.Outputs);
            w.WriteNumber("macs", op.Macs(g.Layout));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteHistogram(Utf8JsonWriter w, string name, IReadOnlyList<KeyValuePair<string, int>> h)
    {
        w.WriteStartObject(name);
        foreach (var (k, n) in h) w.WriteNumber(k, n);
        w.WriteEndObject();
    }

    private static void WriteTensors(Utf8JsonWriter w, string name, IEnumerable<Tensor?> tensors)
    {
        w.WriteStartArray(name);
        foreach (var t in tensors)
        {
            if (t is null) { w.WriteNullValue(); continue; }
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            if (t.Shape.IsUnknownRank) w.WriteNull("shape");
            else
            {
                w.WriteStartArray("shape");
                foreach (var d in t.Shape.Dims) w.WriteNumberValue(d);
                w.WriteEndArray();
            }
            w.WriteString("type", t.Type.Name());
            w.WriteBoolean("constant", t.IsConstant);
            var q = t.Quantization;
            w.WriteStartObject("quantization");
            w.WriteString("kind", q.Kind switch { QuantizationKind.None => "none", QuantizationKind.PerTensor => "per-tensor", _ => "per-axis" });
            if (q.IsQuantized)
            {
                w.WriteNumber("scale_count", q.Scales.Length);
                // The scale is a raw float from the file: JSON has no NaN or infinity, so those are null.
                if (float.IsFinite(q.Scale)) w.WriteNumber("scale", q.Scale);
                else w.WriteNull("scale");
                w.WriteNumber("zero_point", q.ZeroPoint);
                if (q.Kind == QuantizationKind.PerAxis) w.WriteNumber("axis", q.Axis);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}

/// <summary>Model-level figures shared by the inspect table and JSON.</summary>
public sealed record ModelFacts(int Operators, long ParameterCount, long ParameterBytes, long Macs, QuantizationScheme Scheme,
    IReadOnlyList<KeyValuePair<string, int>> OpHistogram)
{
    public static ModelFacts Of(Graph g)
    {
        var constants = g.Subgraphs.SelectMany(s => s.Tensors).Where(t => t.IsConstant).ToList();
        return new ModelFacts(
            g.AllOperators.Count(),
            constants.Sum(t => t.Shape.ElementCount ?? 0),
            constants.Sum(t => (long)t.Data.Length),
            g.AllOperators.Sum(o => o.Macs(g.Layout)),
            g.Scheme(),
            Histogram(g.AllOperators));
    }

    /// <summary>Op type → count, most frequent first, then by name.</summary>
    public static IReadOnlyList<KeyValuePair<string, int>> Histogram(IEnumerable<Operator> ops) =>
        ops.GroupBy(o => o.TypeName).Select(g => KeyValuePair.Create(g.Key, g.Count()))
           .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
}
