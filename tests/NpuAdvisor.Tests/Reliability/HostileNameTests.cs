using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using Google.Protobuf;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using NpuAdvisor.Tests.Cli;
using NpuAdvisor.Tests.Onnx;
using Xunit;

namespace NpuAdvisor.Tests.Reliability;

/// <summary>
/// Model-derived strings that try to act on whatever shows them: HTML, Markdown links and table pipes, terminal
/// escapes (CSI colour, OSC 8 hyperlink, BEL) and line breaks. Every verb and format is run through the CLI on a
/// TFLite and an ONNX model whose op, tensor and custom-op names and description carry one of them, and each output
/// must hold the name in that format's escaped form exactly, with no raw control character anywhere.
/// </summary>
public sealed class HostileNameTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("npu-hostile-names-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static readonly string[] Names =
    [
        "<script>alert(1)</script>",
        "[x](https://e.example)",
        "a|b|c",
        "\u001b[31mred\u001b[0m",
        "\u001b]8;;https://e.example\u001b\\L\u001b]8;;\u001b\\",
        "bell\u0007",
        "two\nlines",
    ];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var format in new[] { "tflite", "onnx" })
            for (var i = 0; i < Names.Length; i++) data.Add(format, i);
        return data;
    }

    /// <summary>input "i"+N → PAD "p"+N → CONV "c"+N → RELU "r"+N → custom op "k"+N with output "o"+N; description "d"+N.</summary>
    private string Hostile(string format, string n)
    {
        var path = Path.Combine(_dir, "model." + format);
        if (format == "tflite")
        {
            var b = new GraphBuilder { Description = "d" + n };
            var y = b.Pad(b.Input("i" + n, 1, 8, 8, 3), 1, 1, 1, 1, name: "p" + n);
            y = b.Conv2D(y, 8, 3, 3, padding: PaddingKind.Valid, name: "c" + n);
            y = b.Unary(OpKind.Relu, y, name: "r" + n);
            b.Output(b.Custom("k" + n, y, [1, 8, 8, 8], name: "o" + n));
            using var g = b.Build();
            File.WriteAllBytes(path, TfliteExporter.Write(g));
            return path;
        }
        var m = new OnnxModel().Input("i" + n, 1, 3, 8, 8);
        m.Model.DocString = "d" + n;
        m.Model.OpsetImport.Add(new OperatorSetIdProto { Domain = "evil", Version = 1 });
        m.Init(OnnxModel.Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1));
        m.Init(OnnxModel.Floats("w", [8, 3, 3, 3]));
        Node(m, "Pad", "p" + n, ["i" + n, "pads"], "pt" + n);
        Node(m, "Conv", "c" + n, ["pt" + n, "w"], "ct" + n);
        Node(m, "Relu", "r" + n, ["ct" + n], "rt" + n);
        Node(m, "k" + n, "o" + n, ["rt" + n], "ot" + n).Domain = "evil";
        m.Output("ot" + n);
        File.WriteAllBytes(path, m.Bytes());
        return path;
    }

    private static NodeProto Node(OnnxModel m, string op, string name, string[] inputs, string output)
    {
        var node = m.Node(op, inputs, [output]);
        node.Name = name;
        return node;
    }

    /// <summary>A model refused at import with an error that quotes the name: its input of 1×(2^31−1)×(2^31−1)×8.</summary>
    private string Refused(string format, string n)
    {
        var path = Path.Combine(_dir, "refused." + format);
        if (format == "tflite")
        {
            var b = new GraphBuilder();
            b.Output(b.Conv2D(b.Input("big" + n, 1, int.MaxValue, int.MaxValue, 8), 8, 1, 1, name: "c"));
            using var g = b.Build();
            File.WriteAllBytes(path, TfliteExporter.Write(g));
        }
        else
        {
            var m = new OnnxModel().Input("big" + n, 1, 8, int.MaxValue, int.MaxValue).Output("y");
            m.Node("Relu", ["big" + n], ["y"]);
            File.WriteAllBytes(path, m.Bytes());
        }
        return path;
    }

    private static string Shown(string s) => TerminalText.Escape(s);
    private static string InJson(string s) => JsonEncodedText.Encode(s, JavaScriptEncoder.Default).ToString();

    private static CliRun Run(params string[] args)
    {
        var run = CliRunner.Run(args);
        run.ExitCode.Should().BeOneOf([0, 1], string.Join(' ', args) + ": " + run.Err);
        NoRawControl(run, args);
        return run;
    }

    private static void NoRawControl(CliRun run, string[] args)
    {
        var raw = (run.Out + run.Err).Where(c => c is < ' ' and not '\n' and not '\r' || c is >= '\u007f' and <= '\u009f' || c is >= '\u202a' and <= '\u202e').ToList();
        raw.Should().BeEmpty($"{string.Join(' ', args)} writes every control character escaped");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Terminal_tables_show_the_name_escaped(string format, int name)
    {
        var n = Names[name];
        var path = Hostile(format, n);
        Run("check", path, "-t", "artpec8", "--all-ops").Out.Should().Contain(Shown("c" + n)).And.Contain(Shown("o" + n));
        Run("estimate", path, "-t", "artpec8").Out.Should().Contain(Shown("c" + n));
        var inspect = Run("inspect", path).Out;
        inspect.Should().Contain(Shown("i" + n)).And.Contain(Shown("c" + n)).And.Contain(Shown("d" + n));
        Run("fix", path, "-t", "amlnn", "--dry-run").Out.Should().Contain($"#0 PAD '{Shown("p" + n)}' + #1 CONV_2D '{Shown("c" + n)}'");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Json_outputs_escape_the_name_and_read_it_back_unchanged(string format, int name)
    {
        var n = Names[name];
        var path = Hostile(format, n);
        var outputs = new Dictionary<string, string>
        {
            ["check json"] = Run("check", path, "-t", "artpec8", "-f", "json").Out,
            ["sarif"] = Run("check", path, "-t", "artpec8", "-f", "sarif").Out,
            ["estimate json"] = Run("estimate", path, "-t", "artpec8", "-f", "json").Out,
            ["inspect json"] = Run("inspect", path, "--format", "json").Out,
            ["fix json"] = Run("fix", path, "-t", "amlnn", "--dry-run", "-f", "json").Out,
        };
        foreach (var (what, json) in outputs)
        {
            json.Should().Contain(InJson("c" + n), what).And.NotContain("<", what);
            Strings(JsonDocument.Parse(json).RootElement).Should().Contain(s => s == "c" + n || s.Contains('\'' + "c" + n + '\''), what);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Markdown_and_html_render_the_name_as_text(string format, int name)
    {
        var n = Names[name];
        var path = Hostile(format, n);
        var md = Run("check", path, "-t", "artpec8", "-f", "markdown").Out;
        md.Should().Contain($"“{MarkdownReport.Escape("o" + n)}”").And.NotContain("<script").And.NotContain("](http").And.NotContain("a|b");

        var html = Path.Combine(_dir, "report.html");
        Run("report", path, "-t", "artpec8", "-o", html);
        var text = File.ReadAllText(html);
        Regex.Count(text, "<script").Should().Be(2, "only the data block and the report's own script");
        var data = Regex.Match(text, "id=\"report-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        data.Should().Contain(InJson("c" + n));
        Strings(JsonDocument.Parse(data).RootElement).Should().Contain("c" + n);
        text.Should().Contain($"<title>{WebUtility.HtmlEncode("npu-advisor — model." + format)}</title>");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_error_line_of_every_verb_shows_the_name_escaped(string format, int name)
    {
        var n = Names[name];
        var path = Refused(format, n);
        var message = format == "tflite"
            ? $"tensor 'big{n}' of shape 1×2147483647×2147483647×8 (int8) is larger than 2^63 bits; no runtime can hold it (at subgraph 0 tensor 0)"
            : $"tensor 'big{n}' of shape 1×8×2147483647×2147483647 (float32) is larger than 2^63 bits; no runtime can hold it (at subgraph 0 tensor 0)";
        foreach (var args in new[] { new[] { "check", path }, ["estimate", path], ["inspect", path], ["report", path, "-o", path + ".html"], ["fix", path, "-t", "artpec8", "--dry-run"] })
        {
            var run = CliRunner.Run(args);
            run.ExitCode.Should().Be(3, args[0]);
            NoRawControl(run, args);
            run.Err.Trim().Should().Be($"error: {path}: {Shown(message)}", args[0]);
        }
        CliRunner.Run("check", path).Out.Should().Contain($"unreadable: tensor '{Shown("big" + n)}'");
        var json = CliRunner.Run("check", path, "-f", "json").Out;
        JsonDocument.Parse(json).RootElement.GetProperty("models")[0].GetProperty("error").GetString().Should().Be(message);
    }

    [Fact]
    public void Usage_errors_show_the_paths_they_quote_escaped()
    {
        // A folder's file names are whatever the folder holds; a usage error quotes them back.
        var path = Path.Combine(_dir, "m\u001b]0;title\u0007.tflite");
        File.Copy(Hostile("tflite", "x"), path);
        var run = CliRunner.Run("fix", path, "-t", "artpec8", "-o", path);
        run.ExitCode.Should().Be(2);
        run.Err.Trim().Should().Be($"error: refusing to write over the input model '{Path.Combine(_dir, "m\\x1B]0;title\\x07.tflite")}'");
    }

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        JsonValueKind.String => [e.GetString()!],
        _ => [],
    };
}
