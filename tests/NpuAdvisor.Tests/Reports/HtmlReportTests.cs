using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Reports;

public class HtmlReportTests
{
    private static (string Html, JsonElement Data) Render(Graph g, IReadOnlyList<NpuAdvisor.Analysis.TargetResult> results)
    {
        var html = HtmlReport.Render(g, results);
        var block = Regex.Match(html, "<script type=\"application/json\" id=\"report-data\">(.*?)</script>", RegexOptions.Singleline);
        block.Success.Should().BeTrue();
        return (html, JsonDocument.Parse(block.Groups[1].Value).RootElement);
    }

    [Fact]
    public void Data_block_cannot_break_out_of_its_script_element_and_round_trips_every_string()
    {
        var g = ReportModels.Demo(opName: ReportModels.Evil, tensorName: ReportModels.EvilMix);
        g.Metadata.Add(new MetadataEntry(ReportModels.EvilMix, new byte[] { 1 }));
        var custom = g.Main.Operators.Single(o => o.Kind == OpKind.Custom);
        var (html, data) = Render(g, ReportModels.Analyze(g, custom.Index, ReportModels.EvilMix));

        var raw = Regex.Match(html, "id=\"report-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        raw.Should().NotContainAny("<", ">", "&", "\u2028", "\u2029");
        Regex.Count(html, "<script").Should().Be(2);
        html.Should().NotContain(ReportModels.Evil, "the title is HTML-encoded and the data is JSON-escaped");

        data.GetProperty("graph").GetProperty("ops")[custom.Index].GetProperty("name").GetString().Should().Be(ReportModels.Evil);
        data.GetProperty("graph").GetProperty("tensors")[0].GetProperty("name").GetString().Should().Be(ReportModels.EvilMix);
        data.GetProperty("model").GetProperty("properties")[0][0].GetString().Should().Be("metadata " + ReportModels.EvilMix);
        data.GetProperty("targets")[1].GetProperty("findings")[0].GetProperty("message").GetString().Should().Be(ReportModels.EvilMix);
    }

    [Fact]
    public void Content_security_policy_allows_only_the_inline_report_script()
    {
        var g = ReportModels.Demo();
        var (html, _) = Render(g, TargetRegistry.All.Select(t => t.Analyze(g)).ToList());
        var script = Regex.Match(html, "<script>(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        var csp = Regex.Match(html, "http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\"").Groups[1].Value;
        csp.Should().Contain("default-src 'none'").And.Contain($"script-src 'sha256-{hash}'").And.NotContain("unsafe-eval");
        html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal).Should().NotContainAny("http://", "https://", "src=\"", "href=\"");
    }

    [Fact]
    public void Per_target_data_carries_placement_segments_findings_and_estimates()
    {
        var g = ReportModels.Demo();
        var custom = g.Main.Operators.Single(o => o.Kind == OpKind.Custom);
        var results = ReportModels.Analyze(g, custom.Index);
        results[1].EstimateMs = 12.5;
        results[1][custom].EstimateMs = 4.25;
        results[1][custom].Bound = "memory";
        var (_, data) = Render(g, results);

        var targets = data.GetProperty("targets");
        targets.GetArrayLength().Should().Be(results.Count);
        var moved = targets[1];
        moved.GetProperty("id").GetString().Should().Be(results[1].Target.Id);
        moved.GetProperty("estimateMs").GetDouble().Should().Be(12.5);
        var op = moved.GetProperty("ops")[custom.Index];
        op.GetProperty("placement").GetString().Should().Be("cpu");
        op.GetProperty("ms").GetDouble().Should().Be(4.25);
        op.GetProperty("bound").GetString().Should().Be("memory");
        op.GetProperty("segment").GetInt32().Should().Be(1);
        moved.GetProperty("segments").GetArrayLength().Should().Be(3);
        moved.GetProperty("summary").GetProperty("cpuMs").GetDouble().Should().Be(4.25);
        targets[0].TryGetProperty("estimateMs", out _).Should().BeFalse();

        // Findings: largest saving first, model-level (no saving) last; op entries point back into the list.
        var findings = targets[0].GetProperty("findings");
        findings.GetArrayLength().Should().Be(2);
        findings[0].GetProperty("savesMs").GetDouble().Should().Be(0.25);
        findings[1].TryGetProperty("op", out _).Should().BeFalse();
        targets[0].GetProperty("ops")[1].GetProperty("findings")[0].GetInt32().Should().Be(0);

        var conv = data.GetProperty("graph").GetProperty("ops")[0];
        conv.GetProperty("macs").GetInt64().Should().Be(g.Macs(g.Main.Operators[0]));
        conv.GetProperty("attrs").EnumerateArray().Select(a => a[0].GetString() + "=" + a[1].GetString())
            .Should().Contain(["KernelH=3", "StrideH=2", "Activation=Relu6"]);
        conv.GetProperty("inputs").GetArrayLength().Should().Be(3, "weights and bias are listed as inputs but are not graph nodes");
    }

    [Fact]
    public void Results_of_another_graph_are_refused()
    {
        var g = ReportModels.Demo();
        var other = ReportModels.Demo();
        var act = () => HtmlReport.Render(g, [TargetRegistry.All[0].Analyze(other)]);
        act.Should().Throw<ArgumentException>().WithMessage("*another graph*");
    }

    [Fact]
    public void Layout_of_700_ops_keeps_edges_downward_and_nodes_apart()
    {
        var g = ReportModels.Large(700);
        var layout = HtmlGraphLayout.Of(g.Main);
        layout.Ops.Should().HaveCount(700);
        foreach (var e in layout.Edges)
        {
            e.To.Layer.Should().BeGreaterThan(e.From.Layer);
            e.Points.Zip(e.Points.Skip(1)).Should().OnlyContain(p => p.Second.Y > p.First.Y);
        }
        var constantEdges = layout.Edges.Count(e => e.Tensor.IsConstant);
        constantEdges.Should().Be(0);
        foreach (var layer in layout.Ops.Concat(layout.Inputs).Concat(layout.Outputs).GroupBy(n => n.Layer))
        {
            var xs = layer.OrderBy(n => n.X).ToList();
            if (xs.Count < 2) continue;
            xs.Zip(xs.Skip(1)).Should().OnlyContain(p => p.Second.X - p.First.X >= p.First.Width / 2 + p.Second.Width / 2 - 1e-6);
        }
        layout.Ops.Concat(layout.Inputs).Should().OnlyContain(n => n.X - n.Width / 2 >= 0 && n.X + n.Width / 2 <= layout.Width);
    }

    [Fact]
    public void Layout_routing_stays_bounded_when_one_tensor_feeds_every_layer_of_a_deep_graph()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 2, 2, 4);
        var y = x;
        for (var i = 0; i < 2500; i++) y = b.Binary(OpKind.Add, y, x, name: $"add{i}");
        b.Output(y);
        var g = b.Build();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var layout = HtmlGraphLayout.Of(g.Main);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
        var virtualPoints = layout.Edges.Sum(e => e.Points.Count - 2);
        virtualPoints.Should().BeLessThanOrEqualTo(HtmlGraphLayout.RoutedPointBudget).And.BeGreaterThan(HtmlGraphLayout.RoutedPointBudget / 2);
        layout.Edges.Should().HaveCount(2 * 2500, "each ADD reads the chain and the input (the first reads x twice: one edge), plus one edge to the output");
        layout.Edges.Where(e => e.Points.Count == 2).Should().OnlyContain(e => e.To.Layer > e.From.Layer, "unrouted long edges still point down");
    }
}

public class ReportSubgraphTests
{
    [Fact]
    public void Findings_on_ops_of_other_subgraphs_are_listed_with_their_subgraph_but_not_drawn()
    {
        var g = ControlFlowModel.Build();
        var results = QuietTarget.Three.Select(t => t.Analyze(g)).ToList();
        var bodyOp = results[0].Ops.Single(o => o.Op.SubgraphIndex == 1);
        bodyOp.Placement = NpuAdvisor.Analysis.Placement.Cpu;
        bodyOp.Findings.Add(new NpuAdvisor.Analysis.Finding { Rule = ReportModels.HandRule, Op = bodyOp.Op, Message = "inside the loop body", Fix = "unroll" });

        var html = HtmlReport.Render(g, results);
        var json = Regex.Match(html, "id=\"report-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var data = JsonDocument.Parse(json).RootElement;
        data.GetProperty("graph").GetProperty("ops").GetArrayLength().Should().Be(2);
        data.GetProperty("model").GetProperty("totalOps").GetInt32().Should().Be(3);
        var t0 = data.GetProperty("targets")[0];
        t0.GetProperty("ops").GetArrayLength().Should().Be(2);
        t0.GetProperty("summary").GetProperty("ops").GetInt32().Should().Be(3);
        t0.GetProperty("findings").GetArrayLength().Should().Be(1);
        var f = t0.GetProperty("findings")[0];
        f.GetProperty("subgraph").GetInt32().Should().Be(1);
        f.GetProperty("op").GetInt32().Should().Be(0);

        using var stream = new MemoryStream();
        SarifReport.Write([("cf.tflite", results)], QuietTarget.Three, stream);
        var sarif = JsonDocument.Parse(stream.ToArray()).RootElement;
        sarif.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("locations")[0].GetProperty("logicalLocations")[0]
            .GetProperty("fullyQualifiedName").GetString().Should().Be("body/0/body_add");
    }
}
