using System.Globalization;
using System.Text;

namespace NpuAdvisor.Reports;

/// <summary>
/// Makes model-derived text inert on a terminal: every control character (C0, DEL, C1; so ESC, and with it CSI,
/// OSC 8 hyperlinks and title changes, BEL, backspace, carriage return) and every bidirectional override is shown
/// as a visible escape such as \x1B or \u202E; a line feed shows as ⏎. Printable text is unchanged.
/// </summary>
public static class TerminalText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (!NeedsEscape(text)) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c == '\n') sb.Append('⏎');
            else if (c < 0x20 || c is >= '\u007f' and <= '\u009f') sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else if (IsBidiControl(c)) sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(string text)
    {
        foreach (var c in text)
            if (c < 0x20 || c is >= '\u007f' and <= '\u009f' || IsBidiControl(c)) return true;
        return false;
    }

    /// <summary>Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the "Trojan Source" characters.</summary>
    private static bool IsBidiControl(char c) => c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';
}
