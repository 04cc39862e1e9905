using System.Text.Encodings.Web;
using System.Text.Json;

namespace NpuAdvisor.Reports;

public static class Json
{
    /// <summary>Escapes &lt;, &gt;, &amp;, quotes and non-ASCII so model strings are inert in any context the JSON lands in.</summary>
    public static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.Default };

    public static double Round(double v, int digits = 4) => Math.Round(v, digits, MidpointRounding.AwayFromZero);

    public static void WriteNumberOrNull(this Utf8JsonWriter w, string name, double? v, int digits = 4)
    {
        if (v is { } x && double.IsFinite(x)) w.WriteNumber(name, Round(x, digits));
        else w.WriteNull(name);
    }
}
