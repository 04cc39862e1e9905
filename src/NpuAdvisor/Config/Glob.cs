namespace NpuAdvisor.Config;

/// <summary>Whole-string glob match: <c>*</c> any run of characters (slashes included), <c>?</c> exactly one; ordinal, case-sensitive.</summary>
public static class Glob
{
    /// <summary>Greedy match with one back-track point (the last <c>*</c>): linear in practice, never exponential.</summary>
    public static bool Matches(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]) && pattern[p] != '*')
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
