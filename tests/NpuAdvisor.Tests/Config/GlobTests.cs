using FluentAssertions;
using NpuAdvisor.Config;
using Xunit;

namespace NpuAdvisor.Tests.Config;

public class GlobTests
{
    [Theory]
    [InlineData("stem/conv5x5_s3", "stem/conv5x5_s3", true)]
    [InlineData("stem/*", "stem/conv5x5_s3", true)]
    [InlineData("*", "", true)]
    [InlineData("*", "any/thing", true)]
    [InlineData("*/conv*", "block2/conv1x1_100", true)]
    [InlineData("block?/conv*", "block2/conv3x3_28", true)]
    [InlineData("block?/conv*", "block12/conv3x3_28", false)]
    [InlineData("stem/*", "stem", false)]
    [InlineData("stem/*", "Stem/conv", false)]
    [InlineData("conv", "conv2", false)]
    [InlineData("*conv", "block/conv/conv", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYbZ", false)]
    [InlineData("???", "abc", true)]
    [InlineData("???", "ab", false)]
    [InlineData("**x", "x", true)]
    public void Star_is_any_run_question_mark_one_character_whole_name_case_sensitive(string pattern, string name, bool expected) =>
        Glob.Matches(pattern, name).Should().Be(expected);

    [Fact]
    public void A_pattern_of_many_stars_against_a_long_near_miss_stays_fast()
    {
        var pattern = string.Concat(Enumerable.Repeat("a*", 30)) + "b";
        var name = new string('a', 20_000);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Glob.Matches(pattern, name).Should().BeFalse();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Nearest_name_is_by_edit_distance_ignoring_case()
    {
        EditDistance.Between("kitten", "sitting").Should().Be(3);
        EditDistance.Between("fail-on", "fail_on").Should().Be(1);
        EditDistance.Between("ABC", "abc").Should().Be(0);
        EditDistance.Nearest("suppresions", ConfigReader.Keys).Should().Be("suppressions");
    }
}
