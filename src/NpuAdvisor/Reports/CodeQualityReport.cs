using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NpuAdvisor.Analysis;
using NpuAdvisor.Baselines;

namespace NpuAdvisor.Reports;

/// <summary>
/// GitLab Code Quality (a subset of the Code Climate issue format, read from artifacts:reports:codequality): one issue per
/// finding that no suppression accepts, located at line 1 of the model file. GitLab tells new from fixed by comparing a
/// merge request's report with its target branch's, by fingerprint, so every finding is listed, baseline or not.
/// </summary>
public static class CodeQualityReport
{
    public static string Severity(RuleKind kind) => kind switch
    {
        RuleKind.Unsupported => "major",
        RuleKind.Performance or RuleKind.Accuracy => "minor",
        _ => "info",
    };

    public static void Write(IReadOnlyList<(string ModelPath, IReadOnlyList<TargetResult> Results)> models, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.Default });
        w.WriteStartArray();
        foreach (var (path, results) in models)
        {
            var location = path.Replace('\\', '/');
            if (location.StartsWith("./", StringComparison.Ordinal)) location = location[2..];
            var prints = FindingFingerprint.Of(results, location);
            foreach (var r in results)
                foreach (var f in r.AllFindings.Where(f => f.Suppression is null))
                {
                    var where = f.Op is null ? "model" : $"{f.Op.TypeName} '{f.Op.Name}' (op {f.Op.Index.ToString(CultureInfo.InvariantCulture)})";
                    w.WriteStartObject();
                    w.WriteString("description", $"{r.Target.Name}: {where}: {f.Message}. Fix: {f.Fix}");
                    w.WriteString("check_name", f.Rule.Id);
                    w.WriteString("fingerprint", prints[f]);
                    w.WriteString("severity", Severity(f.Kind));
                    w.WriteStartObject("location");
                    w.WriteString("path", location);
                    w.WriteStartObject("lines");
                    w.WriteNumber("begin", 1);
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
        }
        w.WriteEndArray();
        w.Flush();
    }
}
