using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Reports;

/// <summary>
/// One self-contained HTML file (no network: script, styles and data inlined) showing the main subgraph
/// coloured by placement per target, the per-target summary, findings and a comparison of all targets.
/// </summary>
public static partial class HtmlReport
{
    /// <summary>Writes the report for <paramref name="results"/> (one per target, all of <paramref name="graph"/>).</summary>
    public static void Write(Graph graph, IReadOnlyList<TargetResult> results, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(writer);
        if (results.Count == 0) throw new ArgumentException("at least one target result is needed", nameof(results));
        if (results.FirstOrDefault(r => !ReferenceEquals(r.Graph, graph)) is { } other)
            throw new ArgumentException($"the result for {other.Target.Id} was computed for another graph", nameof(results));

        var data = Encoding.UTF8.GetString(HtmlReportData.Build(graph, results));
        var script = Asset("report.js");
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["csp"] = $"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'",
            ["version"] = Version,
            ["title"] = WebUtility.HtmlEncode("npu-advisor — " + Path.GetFileName(graph.Path)),
            ["css"] = Asset("report.css"),
            ["data"] = data,
            ["script"] = script,
        };
        // One pass over the template only: a value is never scanned for placeholders.
        var template = Asset("report.html");
        var at = 0;
        foreach (Match m in Placeholder().Matches(template))
        {
            writer.Write(template.AsSpan(at, m.Index - at));
            writer.Write(values[m.Groups[1].Value]);
            at = m.Index + m.Length;
        }
        writer.Write(template.AsSpan(at));
    }

    /// <summary>Writes the report as UTF-8 (no byte-order mark).</summary>
    public static void Write(Graph graph, IReadOnlyList<TargetResult> results, Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        Write(graph, results, writer);
    }

    public static string Render(Graph graph, IReadOnlyList<TargetResult> results)
    {
        using var writer = new StringWriter();
        Write(graph, results, writer);
        return writer.ToString();
    }

    internal static string Version { get; } =
        (typeof(HtmlReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    private static readonly Dictionary<string, string> Assets = new(StringComparer.Ordinal);

    private static string Asset(string name)
    {
        lock (Assets)
        {
            if (Assets.TryGetValue(name, out var cached)) return cached;
            using var s = typeof(HtmlReport).Assembly.GetManifestResourceStream("NpuAdvisor.Reports.Assets." + name)
                ?? throw new InvalidOperationException($"embedded report asset {name} is missing from the assembly");
            using var r = new StreamReader(s, Encoding.UTF8);
            return Assets[name] = r.ReadToEnd().ReplaceLineEndings("\n");
        }
    }

    [GeneratedRegex(@"\{\{(csp|version|title|css|data|script)\}\}")]
    private static partial Regex Placeholder();
}
