using System.Text;
using FluentAssertions;
using NpuAdvisor.Analysis.Cost;
using Xunit;

namespace NpuAdvisor.Tests.Cost;

public sealed class CostParametersTests
{
    public static IEnumerable<object[]> Targets => CostParameters.TargetIds.Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_parameter_is_present_with_a_source_and_fitted_ones_say_so(string id)
    {
        var p = CostParameters.Load(id);
        p.TargetId.Should().Be(id);
        p.Sources.Keys.Should().BeEquivalentTo(CostParameters.Names);
        p.Sources.Values.Should().OnlyContain(s => s.Length > 20);
        var fitted = p.Sources.Where(kv => kv.Value.StartsWith("fitted", StringComparison.Ordinal)).Select(kv => kv.Key);
        fitted.Should().BeEquivalentTo(Calibration.FittedNames(id), "the data file must say which values the calibration sets");
    }

    [Fact]
    public void The_fallback_path_is_never_cheaper_than_an_NPU_layer()
    {
        // What makes "moving an op to the CPU never helps" hold: a transition costs more than a layer's fixed overhead,
        // the CPU is slower than the NPU's worst-case effective rate, and the CPU moves bytes no faster than the NPU's move engine.
        foreach (var id in CostParameters.TargetIds)
        {
            var p = CostParameters.Load(id);
            p.TransitionFixedUs.Should().BeGreaterThan(p.LayerOverheadUs, id);
            p.TransitionCopyGBps.Should().BeLessThanOrEqualTo(p.NpuMoveGBps * 10, id);
            (p.NpuGmacs * p.DepthwiseEfficiency).Should().BeGreaterThan(p.CpuGmacs, id);
        }
    }

    [Fact]
    public void No_rate_leaves_its_physical_range()
    {
        foreach (var id in CostParameters.TargetIds)
        {
            var p = CostParameters.Load(id);
            p.NpuGmacs.Should().BeLessThanOrEqualTo(p.NpuPeakGmacs, id);
            p.DramGBps.Should().BeLessThanOrEqualTo(p.DramPeakGBps, id);
            p.DramEfficiency.Should().BeInRange(0.3, 0.85, id);
        }
        var tooFast = Json(CostParameters.Names).Replace("\"npuGmacs\": {\"value\": 0.5", "\"npuGmacs\": {\"value\": 5", StringComparison.Ordinal);
        var act = () => CostParameters.Parse(Encoding.UTF8.GetBytes(tooFast), "t.json");
        act.Should().Throw<FormatException>().WithMessage("*above the NPU's peak*");
    }

    [Fact]
    public void Unknown_target_is_refused_by_name()
    {
        var act = () => CostParameters.Load("artpec6");
        act.Should().Throw<ArgumentException>().WithMessage("*artpec6*");
    }

    [Fact]
    public void A_file_missing_a_parameter_or_its_source_or_with_an_extra_one_is_refused()
    {
        var good = Json(CostParameters.Names.Where(n => n != "npuGmacs"));
        var missing = () => CostParameters.Parse(Encoding.UTF8.GetBytes(good), "t.json");
        missing.Should().Throw<FormatException>().WithMessage("*missing*npuGmacs*");

        var extra = () => CostParameters.Parse(Encoding.UTF8.GetBytes(Json(CostParameters.Names.Append("warpFactor"))), "t.json");
        extra.Should().Throw<FormatException>().WithMessage("*unknown parameter 'warpFactor'*");

        var noSource = Json(CostParameters.Names).Replace("\"source\": \"s\"", "\"source\": \"\"", StringComparison.Ordinal);
        var act = () => CostParameters.Parse(Encoding.UTF8.GetBytes(noSource), "t.json");
        act.Should().Throw<FormatException>().WithMessage("*no source*");

        var zeroRate = () => CostParameters.Parse(Encoding.UTF8.GetBytes(Json(CostParameters.Names, zero: "npuGmacs")), "t.json");
        zeroRate.Should().Throw<FormatException>().WithMessage("*npuGmacs must be > 0*");
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"target\": \"t\"}")]
    [InlineData("{\"target\": \"t\", \"parameters\": {\"npuGmacs\": {\"value\": \"fast\", \"source\": \"s\"}}}")]
    [InlineData("[]")]
    public void Malformed_files_raise_a_format_error_naming_the_file(string json)
    {
        var act = () => CostParameters.Parse(Encoding.UTF8.GetBytes(json), "bad.json");
        act.Should().Throw<FormatException>().WithMessage("bad.json:*");
    }

    private static string Json(IEnumerable<string> names, string? zero = null)
    {
        static string Value(string n, string? zero) => n == zero ? "0" : n switch
        {
            "strideReshuffle" or "padFolded" => "false",
            "channelMultiple" or "inputSizeMultiple" or "referenceCores" or "paramCacheBytes" or "onChipBytes" or "vectorLanes" => "1",
            "firmwareSpread" => "0.3",
            _ => "0.5",
        };
        var body = string.Join(",", names.Select(n => $"\"{n}\": {{\"value\": {Value(n, zero)}, \"source\": \"s\"}}"));
        return $"{{\"target\": \"t\", \"parameters\": {{{body}}}}}";
    }
}
