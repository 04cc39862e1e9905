using NpuAdvisor.Analysis;

namespace NpuAdvisor.Tests.Targets;

/// <summary>Lookups the target tests share: the findings of one rule, the op of a name.</summary>
internal static class ResultQueries
{
    public static List<Finding> Of(TargetResult r, string id) => r.AllFindings.Where(f => f.Rule.Id == id).ToList();

    public static OpResult OpNamed(TargetResult r, string name) => r.Ops.Single(o => o.Op.Name == name);

    /// <summary>Names of the ops the rule fired on.</summary>
    public static List<string> Names(TargetResult r, string id) => Of(r, id).Select(f => f.Op!.Name).ToList();
}
