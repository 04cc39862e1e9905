using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Targets;

/// <summary>
/// Ambarella CV25 (CVflow) as Axis ships it: the Ambarella compiler quantizes and optimises the model
/// itself (seed 000 "CV25"); the one published model constraint is an input size multiple of 32, and
/// the camera feeds the network RGB planar images (hardware-notes.md).
/// </summary>
public sealed class Cv25Target : Target
{
    private const string Seed = "seed 000 (Axis optimization tips, CV25)";

    public const int InputMultiple = 32;
    public const int RgbChannels = 3;

    private readonly CommonRules _common = new("CV25", "CV25");

    public Rule InputSize { get; } = new("CV25-INPUT-SIZE", RuleKind.Performance,
        $"Input width and height should be multiples of {InputMultiple}",
        $"\"One important consideration is to have a model with an input size that is a multiple of {InputMultiple}. Otherwise, padding will be required for the input, making the conversion process slightly more complex, and the model less efficient.\" Reported per image input with the padded size the compiler works on.",
        $"Resize the model input to multiples of {InputMultiple} (e.g. 224 or 256 instead of 225).",
        $"{Seed}", FixKind.AlignInputSize);

    public Rule Prequantized { get; } = new("CV25-PREQUANTIZED", RuleKind.Model,
        "Quantization is the CV25 compiler's job",
        "On CV25 \"model quantization and optimizations are mainly performed by the compiler\": the Ambarella toolchain calibrates on its own image list (DRA) and, in Axis's example, forces 16-bit fixed point (act-force-fx16, coeff-force-fx16). A float model is the expected input and is not reported; an already-quantized model is, because its 8-bit rounding is carried into the compiler's own quantization.",
        "Give the Ambarella toolchain the float model and let it quantize with your calibration images.",
        $"{Seed}; hardware-notes.md (tensorflow-to-larod-cv25 flow, axis-dlpu overview: quantization done by the compiler)");

    public Rule RgbPlanar { get; } = new("CV25-RGB-PLANAR", RuleKind.Model,
        $"The network input must be a {RgbChannels}-channel RGB image",
        $"CV25's DLPU is fed RGB planar images; an image input with another channel count than {RgbChannels} (grayscale, RGBA, stacked frames) needs conversion on the CPU before every inference.",
        $"Give the model a {RgbChannels}-channel RGB input.",
        "hardware-notes.md (CV25: input must be RGB-planar)");

    public override string Id => "cv25";
    public override string Name => "CV25";
    public override string Description =>
        "Ambarella CV25 (CVflow) behind Axis's larod 'ambarella-cvflow'. The CV25 toolchain is not public, so op-level placement assumes its compiler maps every builtin operator; only custom, unknown and control-flow ops (and sparse-stored constants) go to the CPU. Float models are the expected input: the compiler quantizes them itself.";

    public override IReadOnlyList<Rule> Rules => [InputSize, Prequantized, RgbPlanar, .. _common.All];

    protected override void CheckOperator(OpContext ctx) => _common.Check(ctx);

    public static long PaddedSize(long size) => (size + InputMultiple - 1) / InputMultiple * InputMultiple;

    protected override void CheckModel(TargetResult result)
    {
        var g = result.Graph;
        foreach (var input in g.Main.Inputs)
        {
            if (g.Logical(input) is not { } f) continue;
            if (f.H is > 0 and <= int.MaxValue && f.W is > 0 and <= int.MaxValue && (f.H % InputMultiple != 0 || f.W % InputMultiple != 0))
            {
                long ph = PaddedSize(f.H), pw = PaddedSize(f.W);
                var extra = (double)ph * pw / ((double)f.H * f.W) - 1;
                Add(InputSize, $"input '{input.Name}' is {f.H}×{f.W}: not a multiple of {InputMultiple}, so it is padded to {ph}×{pw} ({VeriSiliconTips.Percent(extra)} more pixels)");
            }
            if (f.C > 0 && f.C != RgbChannels)
                Add(RgbPlanar, $"input '{input.Name}' has {f.C} channel(s): the CV25 feeds the network {RgbChannels}-channel RGB planar images");
        }

        var scheme = g.Scheme();
        if (scheme is QuantizationScheme.PerTensor or QuantizationScheme.PerChannel)
            Add(Prequantized, $"the model is already quantized ({scheme.Describe()}); on CV25 the compiler quantizes from the float model with its own calibration");

        void Add(Rule rule, string message) =>
            result.ModelFindings.Add(new Finding { Rule = rule, Message = message, Fix = rule.Fix });
    }
}
