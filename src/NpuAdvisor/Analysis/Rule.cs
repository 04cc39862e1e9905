namespace NpuAdvisor.Analysis;

/// <summary>What a finding means for the user: the op leaves the NPU, runs slower, loses accuracy, or the model as a whole is affected.</summary>
public enum RuleKind { Unsupported, Performance, Accuracy, Model }

/// <summary>
/// The change a finding's fix stands for, so the cost model can re-estimate the graph with that one fix
/// applied (what-if). None when no output-neutral estimate of the fix exists.
/// </summary>
public enum FixKind
{
    None,
    /// <summary>Round the op's output channels to the target's channel multiple (nearest, up or down).</summary>
    AlignChannels,
    /// <summary>Replace a large kernel by stacked 3×3 kernels with the same receptive field.</summary>
    UseSmallKernel,
    /// <summary>Square up a non-square kernel.</summary>
    SquareKernel,
    /// <summary>Convolve at stride 1 (or 2) and shrink with pooling.</summary>
    StrideViaPooling,
    /// <summary>Quantize weights per tensor.</summary>
    PerTensorQuantization,
    /// <summary>Fuse a standalone activation into the producing op.</summary>
    FuseActivation,
    /// <summary>Fold an explicit PAD into the following op's padding.</summary>
    FoldPadding,
    /// <summary>Use a regular convolution instead of a depthwise one.</summary>
    RegularConvolution,
    /// <summary>Bring the op back onto the NPU (replace it by a supported equivalent).</summary>
    MoveToNpu,
    /// <summary>Quantize the op's tensors to 8 bits; it moves to the NPU when data type was its only obstacle.</summary>
    Quantize,
    /// <summary>
    /// Quantize the whole model to 8 bits: every finding whose fix is <see cref="Quantize"/> goes away, placement and
    /// partitioning are redone without them, and float tensors shrink to 8 bits (biases to 32).
    /// </summary>
    QuantizeModel,
    /// <summary>Shrink parameters so they fit the on-chip cache.</summary>
    FitParameterCache,
    /// <summary>Resize the input to the target's size multiple.</summary>
    AlignInputSize,
}

/// <summary>
/// A named check with a stable id. <see cref="Summary"/> and <see cref="Help"/> are built from the same
/// constants the check uses, so documentation cannot drift from code.
/// </summary>
public sealed record Rule(
    string Id,
    RuleKind Kind,
    string Summary,
    string Help,
    string Fix,
    string Source,
    FixKind FixKind = FixKind.None)
{
    public override string ToString() => Id;
}

public static class RuleKindNames
{
    public static string Name(this RuleKind k) => k.ToString().ToLowerInvariant();
}
