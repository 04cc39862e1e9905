using System.Text.Json;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Config;

/// <summary>
/// Reads npu-advisor.json strictly: unknown keys, rule ids and targets are errors naming the nearest valid one, every
/// suppression needs a reason, and a rule that a suppression's target does not check is an error too (it could never match).
/// The keys and ids accepted here are the ones <see cref="ConfigSchema"/> publishes.
/// </summary>
public static class ConfigReader
{
    public const long MaxBytes = 1 << 20;

    public static IReadOnlyList<string> Keys { get; } = ["$schema", "targets", "fail_on", "suppressions"];
    public static IReadOnlyList<string> SuppressionKeys { get; } = ["rule", "target", "op", "reason"];
    public static IReadOnlyList<string> RequiredSuppressionKeys { get; } = ["rule", "reason"];

    /// <summary>Target ids a config may name, "all" last.</summary>
    public static IReadOnlyList<string> TargetIds { get; } = [.. TargetRegistry.All.Select(t => t.Id), "all"];

    /// <summary>Every rule id of every target, in target then table order, each once.</summary>
    public static IReadOnlyList<string> RuleIds { get; } = TargetRegistry.All.SelectMany(t => t.Rules).Select(r => r.Id).Distinct().ToList();

    public static AdvisorConfig Read(string path)
    {
        using var file = UserJsonFile.Read(path, MaxBytes);
        return Parse(file);
    }

    public static AdvisorConfig Parse(byte[] json, string path)
    {
        using var file = UserJsonFile.Parse(json, path);
        return Parse(file);
    }

    private static AdvisorConfig Parse(UserJsonFile f)
    {
        var top = f.Object(f.Root, [], Keys);
        if (top.TryGetValue("$schema", out var schema)) f.String(schema, ["$schema"]);
        return new AdvisorConfig
        {
            Path = f.Path,
            Targets = top.TryGetValue("targets", out var t) ? ReadTargets(f, t) : null,
            FailOn = top.TryGetValue("fail_on", out var fo) ? OneOf(f, fo, ["fail_on"], "fail_on level", FailOn.Levels) : null,
            Suppressions = top.TryGetValue("suppressions", out var s)
                ? f.Array(s, ["suppressions"]).Select((e, i) => ReadSuppression(f, e, i)).ToList()
                : [],
        };
    }

    private static List<string> ReadTargets(UserJsonFile f, JsonElement e)
    {
        var items = f.Array(e, ["targets"]);
        if (items.Count == 0) throw f.Error(["targets"], "names no target; leave the key out for all targets");
        var ids = items.Select((x, i) => OneOf(f, x, ["targets", i], "target", TargetIds)).ToList();
        for (var i = 0; i < ids.Count; i++)
            if (ids.IndexOf(ids[i]) < i) throw f.Error(["targets", i], $"target '{ids[i]}' is listed twice");
        return ids;
    }

    private static Suppression ReadSuppression(UserJsonFile f, JsonElement e, int index)
    {
        object[] at = ["suppressions", index];
        var p = f.Object(e, at, SuppressionKeys);
        foreach (var key in RequiredSuppressionKeys)
            if (!p.ContainsKey(key))
                throw f.Error(at, key == "reason"
                    ? "a suppression needs a \"reason\": say why the finding is accepted, for the next reader"
                    : $"a suppression needs a \"{key}\"");
        var rule = OneOf(f, p["rule"], UserJsonFile.At(at, "rule"), "rule id", RuleIds);
        string? target = null;
        if (p.TryGetValue("target", out var t))
        {
            target = OneOf(f, t, UserJsonFile.At(at, "target"), "target", TargetRegistry.All.Select(x => x.Id).ToList());
            var checks = TargetRegistry.Find(target)!.Rules.Select(r => r.Id).ToList();
            if (!checks.Contains(rule, StringComparer.Ordinal))
                throw f.Error(UserJsonFile.At(at, "rule"),
                    $"target {target} does not check rule '{rule}', so this suppression could never match; nearest rule of {target}: '{EditDistance.Nearest(rule, checks)}'");
        }
        var op = p.TryGetValue("op", out var o) ? f.String(o, UserJsonFile.At(at, "op")) : null;
        var reason = f.String(p["reason"], UserJsonFile.At(at, "reason")).Trim();
        return new Suppression { ConfigPath = f.Path, Index = index, Rule = rule, Target = target, Op = op, Reason = reason };
    }

    private static string OneOf(UserJsonFile f, JsonElement e, IReadOnlyList<object> at, string what, IReadOnlyList<string> valid)
    {
        var s = f.String(e, at);
        return valid.Contains(s, StringComparer.Ordinal) ? s : throw f.Unknown(at, what, s, valid);
    }
}
