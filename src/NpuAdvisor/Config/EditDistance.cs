namespace NpuAdvisor.Config;

/// <summary>Levenshtein distance, to name the valid key or id nearest to a misspelt one.</summary>
public static class EditDistance
{
    /// <summary>Case-insensitive, so 'a9-conv-stride' finds 'A9-CONV-STRIDE'.</summary>
    public static int Between(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var same = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]);
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (same ? 0 : 1));
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }

    /// <summary>The candidate nearest to <paramref name="wrong"/>; the first in list order on a tie.</summary>
    public static string Nearest(string wrong, IEnumerable<string> candidates) =>
        candidates.Select((c, i) => (c, d: Between(wrong, c), i)).OrderBy(x => x.d).ThenBy(x => x.i).First().c;
}
