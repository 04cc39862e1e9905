using System.Text;
using FluentAssertions;
using NpuAdvisor.Config;
using Xunit;

namespace NpuAdvisor.Tests.Config;

public class ConfigReaderTests
{
    private static AdvisorConfig Parse(string json) => ConfigReader.Parse(Encoding.UTF8.GetBytes(json), "cfg/npu-advisor.json");

    private static string Error(string json) => FluentActions.Invoking(() => Parse(json)).Should().Throw<ConfigException>().Which.Message;

    [Fact]
    public void A_full_config_is_read_with_every_field()
    {
        var c = Parse("""
            {
              "$schema": "../docs/npu-advisor.schema.json",
              "targets": ["artpec9", "cv25"],
              "fail_on": "unsupported",
              "suppressions": [
                { "rule": "A9-CONV-STRIDE", "target": "artpec9", "op": "stem/*", "reason": "  kept for accuracy  " },
                { "rule": "A9-OP-NOT-SUPPORTED", "reason": "softmax stays on the CPU" }
              ]
            }
            """);
        c.Path.Should().Be("cfg/npu-advisor.json");
        c.Targets.Should().Equal("artpec9", "cv25");
        c.FailOn.Should().Be("unsupported");
        c.Suppressions.Should().HaveCount(2);
        var s = c.Suppressions[0];
        (s.Rule, s.Target, s.Op, s.Reason, s.Index, s.ConfigPath).Should().Be(("A9-CONV-STRIDE", "artpec9", "stem/*", "kept for accuracy", 0, "cfg/npu-advisor.json"));
        c.Suppressions[1].Target.Should().BeNull();
        c.Suppressions[1].Op.Should().BeNull();
    }

    [Fact]
    public void An_empty_object_leaves_everything_to_the_command_line()
    {
        var c = Parse("{}");
        c.Targets.Should().BeNull();
        c.FailOn.Should().BeNull();
        c.Suppressions.Should().BeEmpty();
    }

    [Fact]
    public void A_suppression_without_a_reason_is_an_error_that_says_so_and_where()
    {
        var message = Error("""
            {
              "suppressions": [
                { "rule": "A9-CONV-STRIDE", "reason": "ok" },
                { "rule": "A9-MEAN" }
              ]
            }
            """);
        message.Should().StartWith("cfg/npu-advisor.json:4:5: suppressions[1]:").And.Contain("\"reason\"");
        Error("""{ "suppressions": [ { "rule": "A9-MEAN", "reason": "   " } ] }""").Should().Contain("suppressions[0].reason: must not be empty");
        Error("""{ "suppressions": [ { "rule": "A9-MEAN", "reason": 3 } ] }""").Should().Contain("expected a string, found a number");
    }

    [Theory]
    [InlineData("""{ "fail-on": "any" }""", "1:3: fail-on: unknown key 'fail-on'; did you mean 'fail_on'?")]
    [InlineData("""{ "target": ["cv25"] }""", "unknown key 'target'; did you mean 'targets'?")]
    [InlineData("""{ "suppressions": [ { "rule": "A9-MEAN", "reasons": "x" } ] }""", "suppressions[0].reasons: unknown key 'reasons'; did you mean 'reason'?")]
    [InlineData("""{ "suppressions": [ { "rule": "A9-CONV-STRID", "reason": "x" } ] }""", "suppressions[0].rule: unknown rule id 'A9-CONV-STRID'; did you mean 'A9-CONV-STRIDE'?")]
    [InlineData("""{ "suppressions": [ { "rule": "a9-conv-stride", "reason": "x" } ] }""", "did you mean 'A9-CONV-STRIDE'?")]
    [InlineData("""{ "targets": ["artpec-9"] }""", "targets[0]: unknown target 'artpec-9'; did you mean 'artpec9'? Valid: artpec7, artpec8, artpec9, cv25, amlnn, all")]
    [InlineData("""{ "suppressions": [ { "rule": "A9-MEAN", "target": "cv52", "reason": "x" } ] }""", "unknown target 'cv52'; did you mean 'cv25'?")]
    [InlineData("""{ "fail_on": "unsuported" }""", "fail_on: unknown fail_on level 'unsuported'; did you mean 'unsupported'?")]
    public void Unknown_keys_and_ids_name_the_nearest_valid_one(string json, string expected) =>
        Error(json).Should().Contain(expected);

    [Fact]
    public void A_rule_the_suppression_target_does_not_check_is_an_error_naming_that_target_nearest_rule()
    {
        var message = Error("""{ "suppressions": [ { "rule": "A9-CONV-STRIDE", "target": "artpec8", "reason": "x" } ] }""");
        message.Should().Contain("target artpec8 does not check rule 'A9-CONV-STRIDE'").And.Contain("nearest rule of artpec8: 'A8-");
    }

    [Fact]
    public void Malformed_json_names_the_file_line_and_column()
    {
        var message = Error("{\n  \"targets\": [\"cv25\",]\n}");
        message.Should().StartWith("cfg/npu-advisor.json:2:").And.Contain("not valid JSON").And.NotContain("LineNumber");
        Error("").Should().StartWith("cfg/npu-advisor.json:1:1: not valid JSON");
    }

    [Fact]
    public void Wrong_shapes_duplicates_and_empty_lists_are_errors()
    {
        Error("[]").Should().Contain("(top level): expected an object, found an array");
        Error("""{ "targets": "cv25" }""").Should().Contain("targets: expected an array, found a string");
        Error("""{ "targets": [] }""").Should().Contain("names no target");
        Error("""{ "targets": ["cv25", "cv25"] }""").Should().Contain("targets[1]: target 'cv25' is listed twice");
        Error("""{ "fail_on": "any", "fail_on": "none" }""").Should().Contain("key 'fail_on' appears twice");
        Error("""{ "suppressions": [ { "rule": "A9-MEAN", "op": "", "reason": "x" } ] }""").Should().Contain("suppressions[0].op: must not be empty");
    }

    [Fact]
    public void Reading_a_missing_or_oversized_file_is_a_config_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"npu-advisor-missing-{Guid.NewGuid():N}.json");
        FluentActions.Invoking(() => ConfigReader.Read(missing)).Should().Throw<ConfigException>().WithMessage("*no such file*");
        var big = Path.Combine(Path.GetTempPath(), $"npu-advisor-big-{Guid.NewGuid():N}.json");
        File.WriteAllText(big, "{\"$schema\": \"" + new string('x', (int)ConfigReader.MaxBytes) + "\"}");
        try
        {
            FluentActions.Invoking(() => ConfigReader.Read(big)).Should().Throw<ConfigException>().WithMessage("*bytes, more than*");
        }
        finally { File.Delete(big); }
    }

    [Fact]
    public void Discovery_takes_the_nearest_config_above_the_model()
    {
        var root = Directory.CreateTempSubdirectory("npu-advisor-discovery").FullName;
        try
        {
            var deep = Directory.CreateDirectory(Path.Combine(root, "a", "b")).FullName;
            var model = Path.Combine(deep, "m.tflite");
            ConfigDiscovery.Find(model).Should().BeNull();
            File.WriteAllText(Path.Combine(root, AdvisorConfig.FileName), "{}");
            ConfigDiscovery.Find(model).Should().Be(Path.Combine(root, AdvisorConfig.FileName));
            File.WriteAllText(Path.Combine(root, "a", AdvisorConfig.FileName), "{}");
            ConfigDiscovery.Find(model).Should().Be(Path.Combine(root, "a", AdvisorConfig.FileName));
        }
        finally { Directory.Delete(root, true); }
    }
}
