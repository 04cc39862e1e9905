using System.Diagnostics;
using System.Globalization;
using FluentAssertions;
using Microsoft.Playwright;
using NpuAdvisor.Analysis;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using NpuAdvisor.Targets;
using Xunit;
using Xunit.Abstractions;

namespace NpuAdvisor.Tests.Reports;

public sealed class HtmlReportBrowserTests(HtmlBrowserFixture browser, ITestOutputHelper output) : IClassFixture<HtmlBrowserFixture>
{
    private const string RealModel = "tflite/axis/yolov5n_artpec8_coco_640.tflite";

    private static string Save(string name, Graph g, IReadOnlyList<TargetResult> results)
    {
        var path = Path.Combine(HtmlBrowserFixture.ArtifactDir, name + ".html");
        using (var f = File.Create(path)) HtmlReport.Write(g, results, f);
        return path;
    }

    private async Task<(IPage Page, List<string> Dialogs, List<string> Requests, List<string> Errors)> Open(string path, int width = 1500, int height = 950)
    {
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var dialogs = new List<string>();
        var requests = new List<string>();
        var errors = new List<string>();
        page.Dialog += async (_, d) => { dialogs.Add(d.Message); await d.DismissAsync(); };
        page.Request += (_, r) => { if (!r.Url.StartsWith("file:", StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)) requests.Add(r.Url); };
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        await page.GotoAsync(new Uri(path).AbsoluteUri);
        await page.WaitForSelectorAsync("body[data-ready=true]", new PageWaitForSelectorOptions { Timeout = 15000 });
        return (page, dialogs, requests, errors);
    }

    [Fact]
    public async Task Real_model_graph_has_one_node_per_op_placements_switch_with_the_target_and_a_finding_highlights_its_op()
    {
        using var g = TfliteImporter.Load(SharedModels.PathOf(RealModel));
        var main = g.Main.Operators;
        // Real targets and rules, nothing planted. Rather than naming two targets, take the one with the fewest CPU ops
        // and the one that moves most of its NPU ops to the CPU (today an all-NPU target vs ARTPEC-9, whose Ethos-N rules
        // send ~44 yolov5n ops to the CPU): rule-table changes may move the choice, and if no two targets differed the test fails.
        var results = TargetRegistry.All.Select(t => t.Analyze(g)).ToList();
        var a = results.MinBy(r => main.Count(op => !r[op].Placement.OnNpu()))!;
        int MovedFromA(TargetResult r) => main.Count(op => a[op].Placement.OnNpu() && !r[op].Placement.OnNpu());
        var b = results.MaxBy(MovedFromA)!;
        output.WriteLine($"{a.Target.Name}: {main.Count(op => !a[op].Placement.OnNpu())} CPU ops; {b.Target.Name}: {MovedFromA(b)} of {a.Target.Name}'s NPU ops on the CPU");
        var moved = main.FirstOrDefault(op => a[op].Placement.OnNpu() && !b[op].Placement.OnNpu() && b[op].CpuReason is not null
            && op.Inputs.Count > 0 && op.Inputs[0] is { IsConstant: false });
        moved.Should().NotBeNull("on yolov5n some target places on the CPU, with a reason, an op that another target keeps on the NPU");
        // Stand-in estimates (no cost model sets them yet): the page must show whatever the result carries.
        foreach (var o in b.Ops)
        {
            o.EstimateMs = o.Macs / 2e9 + 0.004;
            o.Bound = o.Macs > 0 ? "compute" : "memory";
        }
        b.EstimateMs = b.Ops.Sum(o => o.EstimateMs!.Value);
        var (page, dialogs, requests, errors) = await Open(Save("yolov5n", g, results));

        var indices = await page.Locator("#nodes g.node.op").EvaluateAllAsync<int[]>("ns => ns.map(n => +n.dataset.opIndex)");
        indices.Should().BeEquivalentTo(Enumerable.Range(0, main.Count));
        indices.Should().HaveCount(146, "MANIFEST.json: 146 ops");
        (await page.Locator("#nodes g.node.io.input").CountAsync()).Should().Be(g.Main.Inputs.Count);

        var layout = HtmlGraphLayout.Of(g.Main);
        int Boundaries(TargetResult r) => layout.Edges.Count(e => e.From.Kind == HtmlGraphLayout.NodeKind.Op && e.To.Kind == HtmlGraphLayout.NodeKind.Op
            && r[main[e.From.Index]].Placement.OnNpu() != r[main[e.To.Index]].Placement.OnNpu());
        async Task ShowsPlacementsOf(TargetResult r)
        {
            var shown = await page.Locator("#nodes g.node.op").EvaluateAllAsync<string[]>("ns => ns.map(n => n.dataset.opIndex + ' ' + n.dataset.placement)");
            shown.Should().BeEquivalentTo(main.Select(op => $"{op.Index} {r[op].Placement.Name()}"), $"the graph shows {r.Target.Name}'s placements");
            (await page.Locator("#edges g.edge[data-boundary=true]").CountAsync()).Should().Be(Boundaries(r), "an edge is a boundary where its ops' sides differ");
            (await page.Locator("#summary .seg").CountAsync()).Should().Be(r.Segments.Count);
        }

        var node = page.Locator($"#op-{moved!.Index}");
        await page.ClickAsync($"#target-tabs [data-target-id={a.Target.Id}]");
        await ShowsPlacementsOf(a);
        (await node.GetAttributeAsync("data-placement")).Should().Be("npu");
        var npuFill = await node.Locator("rect.box").EvaluateAsync<string>("r => getComputedStyle(r).fill");

        await page.ClickAsync($"#target-tabs [data-target-id={b.Target.Id}]");
        await ShowsPlacementsOf(b);
        (await node.GetAttributeAsync("data-placement")).Should().Be(b[moved].Placement.Name());
        (await node.Locator("rect.box").EvaluateAsync<string>("r => getComputedStyle(r).fill")).Should().NotBe(npuFill);
        Boundaries(b).Should().BeGreaterThan(0);
        b.Segments.Count.Should().BeGreaterThan(1);
        (await page.Locator("#summary").TextContentAsync()).Should().Contain(b.EstimateMs!.Value.ToString("0.00", CultureInfo.InvariantCulture) + " ms");

        var findings = b.AllFindings.ToList();
        (await page.Locator("#findings-list li.finding").CountAsync()).Should().Be(findings.Count);
        foreach (var kind in Enum.GetValues<RuleKind>())
            (await page.Locator($"#summary button.pill[data-kind={kind.Name()}]").IsDisabledAsync())
                .Should().Be(findings.All(f => f.Kind != kind), $"the {kind.Name()} filter is off exactly when there is no such finding");
        await page.ClickAsync("#summary button.pill[data-kind=unsupported]");
        (await page.Locator("#findings-list li.finding").CountAsync()).Should().Be(findings.Count(f => f.Kind == RuleKind.Unsupported));
        (await page.Locator("#findings-list li.finding:not(.unsupported)").CountAsync()).Should().Be(0);
        await page.Locator($"#findings-list li.finding[data-op-index='{moved.Index}']").First.ClickAsync();
        (await node.GetAttributeAsync("data-selected")).Should().Be("true");
        (await page.Locator("#nodes g.node.op.selected").CountAsync()).Should().Be(1);
        (await page.Locator("#details-body .d-name").TextContentAsync()).Should().Be(moved.Name);
        (await page.Locator("#details-body").TextContentAsync()).Should().Contain(b[moved].CpuReason!.Rule.Id).And.Contain(moved.Outputs[0].Shape.ToString());
        var box = await node.BoundingBoxAsync();
        var svg = await page.Locator("#graph").BoundingBoxAsync();
        (box!.Y + box.Height / 2).Should().BeInRange(svg!.Y, svg.Y + svg.Height, "the highlighted op is scrolled into view");

        var input = moved.Inputs[0]!;
        var point = await page.EvaluateAsync<double[]>($$"""
            () => {
              const p = document.querySelector("#edges g.edge[data-to='op-{{moved.Index}}'][data-tensor='{{input.Index}}'] path.hit");
              const pt = p.getPointAtLength(p.getTotalLength() / 2).matrixTransform(p.getScreenCTM());
              return [pt.x, pt.y];
            }
            """);
        await page.Mouse.MoveAsync((float)point[0], (float)point[1]);
        await Assertions.Expect(page.Locator("#edge-tip")).ToBeVisibleAsync();
        (await page.Locator("#edge-tip").TextContentAsync()).Should().Contain(input.Shape.ToString()).And.Contain(input.Name);

        await page.ClickAsync($"#compare-table tr[data-target-id={a.Target.Id}]");
        (await node.GetAttributeAsync("data-placement")).Should().Be("npu");
        (await page.Locator("#compare-table tr[data-target-id]").CountAsync()).Should().Be(results.Count);
        await page.ClickAsync($"#target-tabs [data-target-id={b.Target.Id}]");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(HtmlBrowserFixture.ArtifactDir, "yolov5n.png"), FullPage = true });
        dialogs.Should().BeEmpty();
        requests.Should().BeEmpty("the report is self-contained");
        errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Model_strings_with_markup_render_as_text_and_run_nothing()
    {
        var g = ReportModels.Demo(opName: ReportModels.Evil, tensorName: ReportModels.EvilMix);
        g.Metadata.Add(new MetadataEntry(ReportModels.Evil, new byte[] { 1, 2, 3 }));
        g.Properties[ReportModels.EvilMix] = ReportModels.Evil;
        var custom = g.Main.Operators.Single(o => o.Kind == OpKind.Custom);
        var results = ReportModels.Analyze(g, custom.Index, message: ReportModels.EvilMix);
        var (page, dialogs, requests, errors) = await Open(Save("evil", g, results));

        await page.ClickAsync($"#target-tabs [data-target-id={results[1].Target.Id}]");
        (await page.Locator($"#op-{custom.Index} .op-name").TextContentAsync()).Should().Be(ReportModels.Evil);
        await page.ClickAsync($"#findings-list li.finding[data-op-index='{custom.Index}']");
        (await page.Locator("#details-body .d-name").TextContentAsync()).Should().Be(ReportModels.Evil);
        await Assertions.Expect(page.GetByText(ReportModels.Evil, new PageGetByTextOptions { Exact = true }).First).ToBeVisibleAsync();
        (await page.Locator("#findings-list .f-msg").First.TextContentAsync()).Should().Be(ReportModels.EvilMix);
        await page.ClickAsync("#op-0");
        (await page.Locator("#details-body .tname").First.TextContentAsync()).Should().Be(ReportModels.EvilMix);

        (await page.EvaluateAsync<bool>("() => window.__xss === undefined")).Should().BeTrue();
        (await page.Locator("body script").CountAsync()).Should().Be(2, "only the data block and the report script");
        (await page.Locator("img").CountAsync()).Should().Be(0);
        dialogs.Should().BeEmpty();
        requests.Should().BeEmpty();
        errors.Should().BeEmpty();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(HtmlBrowserFixture.ArtifactDir, "evil.png") });
    }

    [Fact]
    public async Task A_700_op_graph_renders_every_op_and_pans_to_a_selected_op()
    {
        var g = ReportModels.Large(700);
        var results = TargetRegistry.All.Select(t => t.Analyze(g)).ToList();
        var clock = Stopwatch.StartNew();
        var path = Save("large", g, results);
        var written = clock.ElapsedMilliseconds;
        var (page, _, _, errors) = await Open(path);
        output.WriteLine($"700 ops: report written in {written} ms, {new FileInfo(path).Length / 1024} KiB; page ready after {clock.ElapsedMilliseconds} ms");

        (await page.Locator("#nodes g.node.op").CountAsync()).Should().Be(g.Main.Operators.Count);
        await page.FillAsync("#op-search", "b40/concat");
        await page.PressAsync("#op-search", "Enter");
        var target = g.Main.Operators.Single(o => o.Name == "b40/concat");
        var box = await page.Locator($"#op-{target.Index}").BoundingBoxAsync();
        var svg = await page.Locator("#graph").BoundingBoxAsync();
        box.Should().NotBeNull();
        (box!.X + box.Width / 2).Should().BeInRange(svg!.X, svg.X + svg.Width, "the selected op is scrolled into view");
        (box.Y + box.Height / 2).Should().BeInRange(svg.Y, svg.Y + svg.Height);
        errors.Should().BeEmpty();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(HtmlBrowserFixture.ArtifactDir, "large.png") });
        await page.ClickAsync("#zoom-fit");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(HtmlBrowserFixture.ArtifactDir, "large-fit.png") });
    }

    [Fact]
    public async Task A_finding_inside_a_control_flow_body_is_listed_without_a_graph_node()
    {
        var g = ControlFlowModel.Build();
        var results = QuietTarget.Three.Select(t => t.Analyze(g)).ToList();
        var bodyOp = results[0].Ops.Single(o => o.Op.SubgraphIndex == 1);
        bodyOp.Findings.Add(new Finding { Rule = ReportModels.HandRule, Op = bodyOp.Op, Message = "inside the loop body", Fix = "unroll" });
        var (page, _, _, errors) = await Open(Save("control-flow", g, results), 1200, 700);

        (await page.Locator("#nodes g.node.op").CountAsync()).Should().Be(2);
        (await page.Locator("#findings-list li.finding").CountAsync()).Should().Be(1);
        var item = page.Locator("#findings-list li.finding").First;
        (await item.GetAttributeAsync("data-op-index")).Should().BeNull();
        (await item.Locator(".f-where").TextContentAsync()).Should().Be("subgraph 1 #0 ADD 'body_add'");
        await item.ClickAsync();
        (await page.Locator("#nodes g.node.op.selected").CountAsync()).Should().Be(0);
        errors.Should().BeEmpty();
    }
}
