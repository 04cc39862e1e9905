namespace NpuAdvisor.Model;

/// <summary>Logical N, H, W, C of a 4-D feature map whatever the source layout; -1 for unknown.</summary>
public readonly record struct Nhwc(long N, long H, long W, long C)
{
    public override string ToString() => $"{N}×{H}×{W}×{C}";
}

public static class FeatureMaps
{
    /// <summary>Logical NHWC of a rank-4 tensor; null for other ranks.</summary>
    public static Nhwc? Logical(this Graph graph, Tensor? t) => Logical(graph.Layout, t);

    public static Nhwc? Logical(TensorLayout layout, Tensor? t)
    {
        if (t is null || t.Shape.IsUnknownRank || t.Shape.Rank != 4) return null;
        var d = t.Shape.Dims;
        return layout == TensorLayout.Nhwc ? new Nhwc(d[0], d[1], d[2], d[3]) : new Nhwc(d[0], d[2], d[3], d[1]);
    }

    /// <summary>Index of the channel axis of a rank-4 feature map in the source layout.</summary>
    public static int ChannelAxis(this Graph graph) => graph.Layout == TensorLayout.Nhwc ? 3 : 1;

    /// <summary>Maps an axis as written (possibly negative) of a rank-<paramref name="rank"/> tensor to its logical NHWC letter for rank 4.</summary>
    public static char LogicalAxis(this Graph graph, int axis, int rank)
    {
        if (axis < 0) axis += rank;
        if (rank != 4 || axis < 0 || axis > 3) return '?';
        return graph.Layout == TensorLayout.Nhwc ? "NHWC"[axis] : "NCHW"[axis];
    }
}
