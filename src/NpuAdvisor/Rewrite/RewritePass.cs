using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Rewrite;

/// <summary>
/// One place a pass could rewrite: the ops it touches and either the edit (<see cref="Apply"/>) or why
/// it must not be made (<see cref="Declined"/>, e.g. it would not be bit-exact).
/// </summary>
public sealed record RewriteSite(IReadOnlyList<Operator> Ops, string What, Action? Apply, string? Declined = null)
{
    public static RewriteSite Decline(IReadOnlyList<Operator> ops, string what, string why) => new(ops, what, null, why);
}

/// <summary>What the output format can express, so passes stay format-neutral.</summary>
public sealed record RewriteCapabilities(bool ExplicitConvPadding, bool FusedActivations);

/// <summary>What a pass may assume: the output format's capabilities and the target's channel multiple (null when it has none).</summary>
public sealed record RewriteContext(RewriteCapabilities Capabilities, int? ChannelMultiple);

/// <summary>
/// An output-preserving graph rewrite. Each site it reports must leave every model output bit-identical
/// by construction; where that cannot be guaranteed the site is declined with the reason.
/// </summary>
public abstract class RewritePass
{
    public abstract string Id { get; }
    public abstract string Summary { get; }

    /// <summary>Sites in the main subgraph as it is now; the caller re-asks after every applied edit.</summary>
    public abstract IEnumerable<RewriteSite> Sites(Graph graph, RewriteContext context);

    /// <summary>Rules whose findings this pass can remove (for the docs; what it actually removed is measured per site).</summary>
    public abstract bool Fixes(Rule rule);
}

/// <summary>The passes in the order <c>fix</c> runs them.</summary>
public static class RewritePasses
{
    public static readonly IReadOnlyList<RewritePass> All =
    [
        new DropNoOpsPass(),
        new FoldConstantsPass(),
        new FoldPadPass(),
        new FuseActivationPass(),
        new AlignChannelsPass(),
    ];

    public static RewritePass? Find(string id) => All.FirstOrDefault(p => p.Id.Equals(id, StringComparison.OrdinalIgnoreCase));

    /// <summary>Ids of the passes that can remove findings of <paramref name="rule"/>.</summary>
    public static IReadOnlyList<string> Fixing(Rule rule) => All.Where(p => p.Fixes(rule)).Select(p => p.Id).ToList();
}
