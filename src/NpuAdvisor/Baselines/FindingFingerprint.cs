using System.Security.Cryptography;
using System.Text;
using NpuAdvisor.Analysis;

namespace NpuAdvisor.Baselines;

/// <summary>
/// A finding's identity for code-scanning services (SARIF partialFingerprints, GitLab Code Quality): its
/// <see cref="FindingKey"/> and its occurrence among the model's findings sharing that key. Like the baseline it leaves
/// out op indices and messages, so an alert keeps its identity when the model is re-exported or retrained.
/// </summary>
public static class FindingFingerprint
{
    /// <summary>Fingerprints of every finding of one model's results, by reference; <paramref name="salt"/> (a path, say) is hashed in too.</summary>
    public static Dictionary<Finding, string> Of(IEnumerable<TargetResult> results, string salt = "")
    {
        var seen = new Dictionary<FindingKey, int>();
        var prints = new Dictionary<Finding, string>(ReferenceEqualityComparer.Instance);
        foreach (var r in results)
            foreach (var f in r.AllFindings)
            {
                var key = FindingKey.Of(f, r.Target);
                var n = seen.GetValueOrDefault(key);
                seen[key] = n + 1;
                prints[f] = Hash($"{salt}\n{key.Target}\n{key.Rule}\n{key.OpType}\n{key.Op}\n{n}");
            }
        return prints;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
