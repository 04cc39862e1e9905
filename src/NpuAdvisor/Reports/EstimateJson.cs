using System.Text.Json;
using NpuAdvisor.Analysis;
using NpuAdvisor.Analysis.Cost;
using NpuAdvisor.Model;

namespace NpuAdvisor.Reports;

/// <summary>
/// The `estimate --format json` document (documented in README.md):
/// {"tool","version","path","note","targets":[{"target","estimate_ms",…,"slowest_layers":[…]}]}.
/// </summary>
public static class EstimateJson
{
    /// <summary>Said with every estimate, in every format: what the figures are and are not.</summary>
    public const string Disclaimer =
        "Estimates from a per-layer roofline model fitted to published latencies (shared/reference/calibration.md; " +
        "Axis rows reproduced within ±10%); the range combines the 35% firmware spread with the model's leave-one-out error " +
        "(calibrate --cross-validate). Not measurements.";

    /// <summary>The <paramref name="n"/> slowest layers, slowest first (ties in op order).</summary>
    public static IEnumerable<OpEstimate> Slowest(Estimate e, int n) => e.Ops.OrderByDescending(o => o.Ms).ThenBy(o => o.Op.Op.Index).Take(n);

    public static string Render(Graph g, IReadOnlyList<TargetResult> results, int top)
    {
        using var s = new MemoryStream();
        using (var w = new Utf8JsonWriter(s, Json.Options))
        {
            w.WriteStartObject();
            w.WriteString("tool", ToolInfo.Name);
            w.WriteString("version", ToolInfo.Version);
            w.WriteString("path", g.Path);
            w.WriteString("note", Disclaimer);
            w.WriteStartArray("targets");
            foreach (var r in results)
            {
                var e = r.Estimate!;
                w.WriteStartObject();
                w.WriteString("target", r.Target.Id);
                w.WriteNumber("estimate_ms", Json.Round(e.TotalMs, 3));
                w.WriteNumber("low_ms", Json.Round(e.LowMs, 3));
                w.WriteNumber("high_ms", Json.Round(e.HighMs, 3));
                w.WriteNumber("npu_ms", Json.Round(e.NpuMs, 3));
                w.WriteNumber("cpu_ms", Json.Round(e.CpuMs, 3));
                w.WriteNumber("transition_ms", Json.Round(e.TransitionMs, 3));
                w.WriteNumber("transitions", e.Transitions);
                w.WriteNumber("dram_bytes", e.DramBytes);
                w.WriteNumber("streamed_param_bytes", e.StreamedParamBytes);
                w.WriteStartArray("slowest_layers");
                foreach (var o in Slowest(e, top))
                {
                    w.WriteStartObject();
                    w.WriteNumber("index", o.Op.Op.Index);
                    w.WriteNumber("subgraph", o.Op.Op.SubgraphIndex);
                    w.WriteString("type", o.Op.Op.TypeName);
                    w.WriteString("name", o.Op.Op.Name);
                    w.WriteString("placement", o.Op.Placement.Name());
                    w.WriteNumber("macs", o.Op.Macs);
                    w.WriteNumber("bytes", o.DramBytes);
                    w.WriteNumber("estimate_ms", Json.Round(o.Ms, 4));
                    w.WriteString("bound", o.Bound.Name());
                    w.WriteNumber("utilisation", Json.Round(o.Efficiency, 3));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(s.ToArray());
    }
}
