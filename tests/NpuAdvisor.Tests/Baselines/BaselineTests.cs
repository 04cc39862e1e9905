using System.Text;
using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Baselines;
using NpuAdvisor.Config;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Rewrite;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Baselines;

public class BaselineTests
{
    private static IReadOnlyList<TargetResult> Check(Graph g, params string[] targets) =>
        Advisor.Check(g, targets.Length == 0 ? TargetRegistry.All : targets.Select(t => TargetRegistry.Find(t)!).ToList(), estimate: false);

    private static List<Finding> Findings(IReadOnlyList<TargetResult> results) => results.SelectMany(r => r.AllFindings).ToList();

    private static Baseline Written(params (string Path, IReadOnlyList<TargetResult> Results)[] models) =>
        Baseline.From(models);

    private static (int New, int Unchanged, int Absent) Compare(Baseline b, params (string Path, IReadOnlyList<TargetResult> Results)[] models)
    {
        b.Compare(models);
        var all = models.SelectMany(m => m.Results).ToList();
        return (Findings(all).Count(f => f.BaselineState == BaselineState.New),
                Findings(all).Count(f => f.BaselineState == BaselineState.Unchanged),
                all.Sum(r => r.Absent!.Sum(a => a.Count)));
    }

    [Fact]
    public void The_same_model_against_its_own_baseline_has_nothing_new_or_absent()
    {
        var g = SampleModel.Build();
        var before = Check(g);
        var baseline = Written(("sample.tflite", before));
        var after = Check(g);
        Compare(baseline, ("sample.tflite", after)).Should().Be((0, Findings(after).Count, 0));
        Findings(after).Should().HaveCountGreaterThan(20, "the sample trips rules on every target");
    }

    [Fact]
    public void A_reexport_with_every_op_and_tensor_index_shuffled_and_a_new_file_name_has_nothing_new()
    {
        var original = Check(SampleModel.Build());
        var baseline = Written(("models/sample_int8.tflite", original));
        using var shuffled = TfliteImporter.Load(SampleVariants.Shuffled(seed: 7), "elsewhere/renamed.tflite");
        var stored = SampleModel.Build().Main.Operators;
        var moved = shuffled.Main.Operators.Count(o => o.Name != stored[o.Index].Name);
        moved.Should().BeGreaterThan(shuffled.Main.Operators.Count / 2, "the re-export must really renumber the ops");

        var after = Check(shuffled);
        Compare(baseline, ("elsewhere/renamed.tflite", after)).Should().Be((0, Findings(original).Count, 0));
    }

    [Fact]
    public void One_more_unsupported_op_is_exactly_one_new_finding()
    {
        var baseline = Written(("m.tflite", Check(SampleModel.Build(), "artpec9")));
        using var grown = TfliteImporter.Load(SampleVariants.WithExtraSoftmax(), "m.tflite");
        var after = Check(grown, "artpec9");
        var (fresh, _, absent) = Compare(baseline, ("m.tflite", after));
        (fresh, absent).Should().Be((1, 0));
        var f = Findings(after).Single(x => x.BaselineState == BaselineState.New);
        (f.Rule.Id, f.Op!.Name, f.Kind).Should().Be(("A9-OP-NOT-SUPPORTED", "head/softmax_extra", RuleKind.Unsupported));
        FailOn.Counts(f, "unsupported").Should().BeTrue();
        Findings(after).Where(x => x != f).Should().OnlyContain(x => !FailOn.Counts(x, "any"));
    }

    [Fact]
    public void Findings_sharing_a_fingerprint_are_counted_so_a_second_one_is_new()
    {
        var baseline = Written(("m.tflite", Check(SampleModel.Build(), "artpec9")));
        baseline.Models[0].Findings.Should().OnlyContain(e => e.Count >= 1);
        using var twin = TfliteImporter.Load(SampleVariants.WithExtraSoftmax(name: "head/softmax"), "m.tflite");
        var after = Check(twin, "artpec9");
        Compare(baseline, ("m.tflite", after)).New.Should().Be(1);
        var pair = Findings(after).Where(f => f.Rule.Id == "A9-OP-NOT-SUPPORTED" && f.Op!.Name == "head/softmax").ToList();
        pair.Select(f => f.BaselineState).Should().Equal(BaselineState.Unchanged, BaselineState.New);
    }

    [Fact]
    public void Model_level_findings_are_keyed_by_target_and_rule_alone()
    {
        var results = Check(SampleModel.Build());
        results.SelectMany(r => r.ModelFindings).Should().NotBeEmpty("ARTPEC-8 and CV25 report model-level findings on the sample");
        var baseline = Written(("m.tflite", results));
        baseline.Models[0].Findings.Where(e => e.Op is null).Should().NotBeEmpty().And.OnlyContain(e => e.OpType == null);
        var again = Check(SampleModel.Build());
        Compare(baseline, ("m.tflite", again));
        again.SelectMany(r => r.ModelFindings).Should().OnlyContain(f => f.BaselineState == BaselineState.Unchanged);
    }

    [Fact]
    public void Baseline_findings_no_longer_found_are_absent_on_their_target_only_when_it_was_checked()
    {
        var results = Check(SampleModel.Build(), "artpec9", "cv25");
        var written = Written(("m.tflite", results));
        var gone = new BaselineEntry("artpec9", "A9-FILTERS-16", RuleKind.Performance, "CONV_2D", "old/conv_100", "100 filters", 2);
        var elsewhere = new BaselineEntry("amlnn", "AML-KERNEL", RuleKind.Performance, "CONV_2D", "old/conv", "old", 1);
        var baseline = new Baseline { Models = [new BaselineModel("m.tflite", [.. written.Models[0].Findings, gone, elsewhere])] };
        var again = Check(SampleModel.Build(), "artpec9", "cv25");
        Compare(baseline, ("m.tflite", again)).Should().Be((0, Findings(again).Count, 2));
        again[0].Absent.Should().ContainSingle().Which.Should().Be(gone);
        again[1].Absent.Should().BeEmpty("amlnn was not checked, so its baseline entries are not absent");
    }

    [Fact]
    public void Several_models_find_their_baseline_by_shared_findings_whatever_their_names_and_order()
    {
        var sample = Check(SampleModel.Build());
        var demo = Check(Reports.ReportModels.Demo());
        Findings(demo).Should().NotBeEmpty();
        var baseline = Written(("a/sample.tflite", sample), ("a/demo.tflite", demo));
        var demoAgain = Check(Reports.ReportModels.Demo());
        var sampleAgain = Check(SampleModel.Build());
        Compare(baseline, ("b/first.tflite", demoAgain), ("b/second.tflite", sampleAgain)).Should().Be((0, Findings(sample).Count + Findings(demo).Count, 0));
    }

    [Fact]
    public void A_model_whose_findings_are_all_gone_still_finds_its_baseline_by_file_name_and_lists_them_absent()
    {
        var g = SampleModel.Build();
        var baseline = Written(("x/sample.tflite", Check(g, "artpec9")), ("x/other.tflite", Check(Reports.ReportModels.Demo(), "artpec9")));
        var none = Check(g, "artpec9");
        foreach (var r in none) { foreach (var o in r.Ops) o.Findings.Clear(); r.ModelFindings.Clear(); }
        var other = Check(Reports.ReportModels.Demo(), "artpec9");
        var (fresh, _, absent) = Compare(baseline, ("y/sample.tflite", none), ("y/other.tflite", other));
        fresh.Should().Be(0);
        absent.Should().Be(baseline.Models[0].Findings.Sum(e => e.Count));
    }

    [Fact]
    public void The_file_round_trips_and_is_sorted_for_version_control()
    {
        var baseline = Written(("dir/sample.tflite", Check(SampleModel.Build())));
        var path = Path.Combine(Path.GetTempPath(), $"npu-advisor-baseline-{Guid.NewGuid():N}.json");
        try
        {
            using (var s = File.Create(path)) BaselineFile.Write(baseline, s);
            var read = BaselineFile.Read(path);
            read.Models.Should().ContainSingle().Which.File.Should().Be("sample.tflite", "the folder is not part of a model's identity");
            read.Models[0].Findings.Should().Equal(baseline.Models[0].Findings);
            var keys = read.Models[0].Findings.Select(e => $"{e.Target}\n{e.Rule}\n{e.OpType}\n{e.Op}").ToList();
            keys.Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("""{ "format": 2, "models": [] }""", "format: not an npu-advisor baseline of format 1")]
    [InlineData("""{ "models": [] }""", "not an npu-advisor baseline")]
    [InlineData("""{ "format": 1 }""", "a baseline needs \"models\"")]
    [InlineData("""{ "format": 1, "models": [ { "file": "m", "findngs": [] } ] }""", "models[0].findngs: unknown key 'findngs'; did you mean 'findings'?")]
    [InlineData("""{ "format": 1, "models": [ { "findings": [ { "target": "cv25", "rule": "R", "kind": "slow" } ] } ] }""", "unknown kind 'slow'")]
    [InlineData("""{ "format": 1, "models": [ { "findings": [ { "target": "cv25", "rule": "R", "kind": "model", "count": 0 } ] } ] }""", "count: must be a whole number of at least 1")]
    [InlineData("""{ "format": 1, "models": [ { "findings": [ { "rule": "R", "kind": "model" } ] } ] }""", "needs \"target\"")]
    [InlineData("""{ "format": 1, "models": [ }""", "not valid JSON")]
    public void A_broken_baseline_is_a_config_error_naming_what_and_where(string json, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"npu-advisor-baseline-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json, Encoding.UTF8); // with a byte-order mark, as some editors save

        try
        {
            FluentActions.Invoking(() => BaselineFile.Read(path)).Should().Throw<ConfigException>()
                .Which.Message.Should().StartWith(path).And.Contain(expected);
        }
        finally { File.Delete(path); }
    }
}
