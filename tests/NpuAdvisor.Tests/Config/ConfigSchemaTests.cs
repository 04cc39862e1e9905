using System.Text;
using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Config;
using NpuAdvisor.Tests.Cli;
using NpuAdvisor.Tests.Reports;
using Xunit;

namespace NpuAdvisor.Tests.Config;

/// <summary>The published schema, the shipped examples and the reader agree, so none can drift from the others.</summary>
public class ConfigSchemaTests
{
    private static string Docs(params string[] parts) => Path.Combine([SharedModels.RepoRoot, "docs", .. parts]);

    public static IEnumerable<object[]> Examples() =>
        Directory.EnumerateFiles(Docs("examples"), "*.json").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Fact]
    public void Docs_schema_is_generated_from_the_reader_and_not_stale()
    {
        var run = CliRunner.Run("targets", "--config-schema");
        run.ExitCode.Should().Be(0, run.Err);
        run.Out.Should().Be(ConfigSchema.Render());
        File.ReadAllText(JsonSchemaCheck.ConfigSchemaPath).Should().Be(ConfigSchema.Render(),
            $"{ConfigSchema.DocsPath} must be regenerated with `npu-advisor targets --config-schema > {ConfigSchema.DocsPath}`");
    }

    [Fact]
    public void The_schema_keys_are_exactly_the_keys_the_reader_accepts()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(JsonSchemaCheck.ConfigSchemaPath));
        var root = doc.RootElement;
        root.GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
        Names(root.GetProperty("properties")).Should().Equal(ConfigReader.Keys);
        var suppression = root.GetProperty("$defs").GetProperty("suppression");
        suppression.GetProperty("additionalProperties").GetBoolean().Should().BeFalse();
        Names(suppression.GetProperty("properties")).Should().Equal(ConfigReader.SuppressionKeys);
        suppression.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal(ConfigReader.RequiredSuppressionKeys);
        Strings(suppression.GetProperty("properties").GetProperty("rule").GetProperty("enum")).Should().Equal(ConfigReader.RuleIds);
        Strings(root.GetProperty("properties").GetProperty("targets").GetProperty("items").GetProperty("enum")).Should().Equal(ConfigReader.TargetIds);
        Strings(root.GetProperty("properties").GetProperty("fail_on").GetProperty("enum")).Should().Equal(FailOn.Levels);

        // Every key the schema allows, the reader accepts (and the other way round, by the unknown-key tests).
        var all = """
            { "$schema": "x", "targets": ["all"], "fail_on": "any",
              "suppressions": [ { "rule": "A9-MEAN", "target": "artpec9", "op": "head/*", "reason": "r" } ] }
            """;
        JsonSchemaCheck.Errors(JsonSchemaCheck.ConfigSchemaPath, all).Should().BeEmpty();
        ConfigReader.Parse(Encoding.UTF8.GetBytes(all), "all.json").Suppressions.Should().ContainSingle();
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Shipped_examples_validate_against_the_schema_and_read_cleanly(string name)
    {
        var path = Docs("examples", name);
        JsonSchemaCheck.Errors(JsonSchemaCheck.ConfigSchemaPath, File.ReadAllText(path)).Should().BeEmpty();
        ConfigReader.Read(path).Suppressions.Should().OnlyContain(s => s.Reason.Length > 0);
    }

    [Fact]
    public void The_readme_shows_the_shipped_example_as_it_is()
    {
        var readme = File.ReadAllText(Path.Combine(SharedModels.RepoRoot, "README.md"));
        readme.Should().Contain("```json\n" + File.ReadAllText(Docs("examples", "npu-advisor.json")) + "```");
    }

    [Fact]
    public void The_example_config_fits_the_sample_model_with_no_stale_suppression()
    {
        var run = CliRunner.Run("check", CliRunner.Sample, "--config", Docs("examples", "npu-advisor.json"), "--format", "json");
        run.Err.Should().NotContain("warning");
        using var doc = JsonDocument.Parse(run.Out);
        doc.RootElement.GetProperty("stale_suppressions").GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData("""{ "fail-on": "any" }""")]
    [InlineData("""{ "targets": ["artpec6"] }""")]
    [InlineData("""{ "targets": [] }""")]
    [InlineData("""{ "fail_on": "sometimes" }""")]
    [InlineData("""{ "suppressions": [ { "rule": "A9-MEAN" } ] }""")]
    [InlineData("""{ "suppressions": [ { "reason": "no rule" } ] }""")]
    [InlineData("""{ "suppressions": [ { "rule": "NOPE", "reason": "x" } ] }""")]
    [InlineData("""{ "suppressions": [ { "rule": "A9-MEAN", "reason": " " } ] }""")]
    [InlineData("""{ "suppressions": [ { "rule": "A9-MEAN", "reason": "x", "why": "y" } ] }""")]
    public void What_the_schema_rejects_the_reader_rejects(string json)
    {
        JsonSchemaCheck.Errors(JsonSchemaCheck.ConfigSchemaPath, json).Should().NotBeEmpty();
        FluentActions.Invoking(() => ConfigReader.Parse(Encoding.UTF8.GetBytes(json), "x.json")).Should().Throw<ConfigException>();
    }

    private static List<string> Names(JsonElement obj) => obj.EnumerateObject().Select(p => p.Name).ToList();

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();
}
