using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace NpuAdvisor.Analysis.Cost;

/// <summary>
/// The numbers the cost model runs on for one target, each with the source it was taken from
/// (hardware-notes.md, calibration.md, a seed tip, "fitted" by <see cref="Calibration"/>, or "assumed").
/// Loaded from the embedded Targets/&lt;id&gt;.json.
/// </summary>
public sealed record CostParameters
{
    public required string TargetId { get; init; }

    /// <summary>Effective NPU rate of a regular convolution at full lane utilisation, GMAC/s.</summary>
    public required double NpuGmacs { get; init; }
    /// <summary>Fixed cost of every NPU layer (dispatch, pipeline fill), µs.</summary>
    public required double LayerOverheadUs { get; init; }
    /// <summary>Fixed cost of one inference whatever the network (runtime invoke, input/output hand-over, completion wait), µs.</summary>
    public required double InferenceOverheadUs { get; init; }
    /// <summary>Per-MAC efficiency of depthwise convolution relative to regular convolution.</summary>
    public required double DepthwiseEfficiency { get; init; }
    /// <summary>Output channels are processed in groups of this size (1 = no alignment); 0 = the AMLNN core count option.</summary>
    public required int ChannelMultiple { get; init; }
    /// <summary>Efficiency of square kernels other than 1×1 and 3×3.</summary>
    public required double OtherKernelEfficiency { get; init; }
    /// <summary>Extra efficiency factor of non-square kernels.</summary>
    public required double NonSquareEfficiency { get; init; }
    /// <summary>Strides other than 1 and 2 need a reshuffle pass of the input (an extra layer).</summary>
    public required bool StrideReshuffle { get; init; }
    /// <summary>Efficiency of ops with per-channel quantized weights relative to per-tensor.</summary>
    public required double PerChannelEfficiency { get; init; }
    /// <summary>Rate of float compute on the NPU, GMAC/s; 0 = float runs at the integer rate.</summary>
    public required double FloatNpuGmacs { get; init; }
    /// <summary>Peak MAC rate of the NPU (its published TOPS / 2, or an assumed bound): the fit keeps npuGmacs at or below it.</summary>
    public required double NpuPeakGmacs { get; init; }
    /// <summary>On-chip buffer for feature maps: a tensor larger than this streams through DRAM, one that fits stays on chip (0 = every feature map goes through DRAM).</summary>
    public required long OnChipBytes { get; init; }
    /// <summary>Peak DRAM (or host link) bandwidth of the SoC, GB/s: bus width × transfer rate.</summary>
    public required double DramPeakGBps { get; init; }
    /// <summary>Share of the peak the NPU's streams reach (refresh, bank conflicts, other masters).</summary>
    public required double DramEfficiency { get; init; }
    /// <summary>Effective DRAM bandwidth for streamed feature maps and parameters, GB/s.</summary>
    public double DramGBps => DramPeakGBps * DramEfficiency;
    /// <summary>NPU rate of element-wise arithmetic, pooling and reductions, G elements/s (window elements for pooling).</summary>
    public required double NpuVectorGelems { get; init; }
    /// <summary>NPU rate of transcendental activations (sigmoid, tanh, hard-swish, softmax…), G elements/s.</summary>
    public required double NpuActivationGelems { get; init; }
    /// <summary>Width of the vector unit along the innermost dimension: an innermost size of 2 still occupies a whole lane group.</summary>
    public required int VectorLanes { get; init; }
    /// <summary>Whether a small explicit PAD in front of a convolution or pool is folded into it (free).</summary>
    public required bool PadFolded { get; init; }
    /// <summary>NPU rate of data-moving ops (concatenation, slicing, transpose, resize, padding), GB/s of output.</summary>
    public required double NpuMoveGBps { get; init; }
    /// <summary>On-chip parameter cache; parameters beyond it stream from DRAM every inference (0 = all stream).</summary>
    public required long ParamCacheBytes { get; init; }
    /// <summary>CPU rate of convolution and fully connected fallback ops, GMAC/s.</summary>
    public required double CpuGmacs { get; init; }
    /// <summary>CPU rate of transcendental functions, G elements/s (element-wise and move ops run at CPU memory speed).</summary>
    public required double CpuTranscendentalGelems { get; init; }
    /// <summary>CPU time per detection post-process work unit (anchor × class score, NMS comparison), ns.</summary>
    public required double CpuPostProcessNs { get; init; }
    /// <summary>Fixed cost of each NPU↔CPU transition, µs.</summary>
    public required double TransitionFixedUs { get; init; }
    /// <summary>CPU memory rate, GB/s: tensors crossing the NPU/CPU boundary are copied at it, and CPU ops move their bytes at it.</summary>
    public required double TransitionCopyGBps { get; init; }
    /// <summary>Input H and W are padded up to a multiple of this (0 = no such rule).</summary>
    public required int InputSizeMultiple { get; init; }
    /// <summary>Relative spread of the same model between firmware releases.</summary>
    public required double FirmwareSpread { get; init; }
    /// <summary>Median |left-out error| of this target's calibration rows under leave-one-out (calibrate --cross-validate).</summary>
    public required double CrossValidationError { get; init; }
    /// <summary>Relative half-width of the printed range: firmware spread and model error, independent, added in quadrature.</summary>
    public double RangeSpread => Math.Sqrt(FirmwareSpread * FirmwareSpread + CrossValidationError * CrossValidationError);
    /// <summary>Core count the rate was measured with (AMLNN); the rate scales with the chosen core count.</summary>
    public required int ReferenceCores { get; init; }

    /// <summary>Parameter name (as in the JSON) → where its value comes from.</summary>
    public ImmutableDictionary<string, string> Sources { get; init; } = ImmutableDictionary<string, string>.Empty;

    private static readonly PropertyInfo[] Numeric = typeof(CostParameters).GetProperties()
        .Where(p => p.CanWrite)
        .Where(p => p.PropertyType == typeof(double) || p.PropertyType == typeof(int) || p.PropertyType == typeof(long) || p.PropertyType == typeof(bool))
        .ToArray();

    /// <summary>JSON names of every parameter a target file must define.</summary>
    public static IReadOnlyList<string> Names { get; } = Numeric.Select(p => JsonName(p.Name)).ToArray();

    private static string JsonName(string property) => char.ToLowerInvariant(property[0]) + property[1..];

    public static IReadOnlyList<string> TargetIds { get; } = ["artpec7", "artpec8", "artpec9", "cv25", "amlnn"];

    /// <summary>The embedded parameters of a target (artpec7, artpec8, artpec9, cv25, amlnn).</summary>
    public static CostParameters Load(string targetId)
    {
        var name = $"NpuAdvisor.Cost.{targetId.ToLowerInvariant()}.json";
        using var stream = typeof(CostParameters).Assembly.GetManifestResourceStream(name)
            ?? throw new ArgumentException($"no cost parameters for target '{targetId}' (known: {string.Join(", ", TargetIds)})", nameof(targetId));
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return Parse(ms.ToArray(), name);
    }

    /// <summary>Parses a parameter file: {"target": id, "parameters": {name: {"value": v, "source": text}}}; every parameter present, none unknown.</summary>
    public static CostParameters Parse(ReadOnlySpan<byte> json, string fileName)
    {
        try
        {
            return ParseDocument(json, fileName);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException and not CostFileException)
        {
            throw new CostFileException($"{fileName}: {e.Message}", e);
        }
    }

    private static CostParameters ParseDocument(ReadOnlySpan<byte> json, string fileName)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        var target = root.GetProperty("target").GetString() ?? throw new CostFileException($"{fileName}: target is null");
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var sources = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var p in root.GetProperty("parameters").EnumerateObject())
        {
            if (!Names.Contains(p.Name)) throw new CostFileException($"{fileName}: unknown parameter '{p.Name}'");
            var source = p.Value.GetProperty("source").GetString();
            if (string.IsNullOrWhiteSpace(source)) throw new CostFileException($"{fileName}: parameter '{p.Name}' has no source");
            values[p.Name] = p.Value.GetProperty("value").Clone();
            sources[p.Name] = source;
        }
        var missing = Names.Where(n => n != "targetId" && !values.ContainsKey(n)).ToList();
        if (missing.Count > 0) throw new CostFileException($"{fileName}: missing parameters {string.Join(", ", missing)}");

        double D(string n) => values[n].GetDouble();
        int I(string n) => values[n].GetInt32();
        return new CostParameters
        {
            TargetId = target,
            NpuGmacs = D("npuGmacs"),
            LayerOverheadUs = D("layerOverheadUs"),
            InferenceOverheadUs = D("inferenceOverheadUs"),
            DepthwiseEfficiency = D("depthwiseEfficiency"),
            ChannelMultiple = I("channelMultiple"),
            OtherKernelEfficiency = D("otherKernelEfficiency"),
            NonSquareEfficiency = D("nonSquareEfficiency"),
            StrideReshuffle = values["strideReshuffle"].GetBoolean(),
            PerChannelEfficiency = D("perChannelEfficiency"),
            FloatNpuGmacs = D("floatNpuGmacs"),
            NpuPeakGmacs = D("npuPeakGmacs"),
            OnChipBytes = values["onChipBytes"].GetInt64(),
            DramPeakGBps = D("dramPeakGBps"),
            DramEfficiency = D("dramEfficiency"),
            NpuVectorGelems = D("npuVectorGelems"),
            NpuActivationGelems = D("npuActivationGelems"),
            NpuMoveGBps = D("npuMoveGBps"),
            VectorLanes = I("vectorLanes"),
            PadFolded = values["padFolded"].GetBoolean(),
            CpuTranscendentalGelems = D("cpuTranscendentalGelems"),
            CpuPostProcessNs = D("cpuPostProcessNs"),
            CrossValidationError = D("crossValidationError"),
            ParamCacheBytes = values["paramCacheBytes"].GetInt64(),
            CpuGmacs = D("cpuGmacs"),
            TransitionFixedUs = D("transitionFixedUs"),
            TransitionCopyGBps = D("transitionCopyGBps"),
            InputSizeMultiple = I("inputSizeMultiple"),
            FirmwareSpread = D("firmwareSpread"),
            ReferenceCores = I("referenceCores"),
            Sources = sources.ToImmutable(),
        }.Validated(fileName);
    }

    private CostParameters Validated(string fileName)
    {
        void Positive(double v, string n) { if (!(v > 0) || double.IsInfinity(v)) throw new CostFileException($"{fileName}: {n} must be > 0, is {v.ToString(CultureInfo.InvariantCulture)}"); }
        void Fraction(double v, string n) { if (!(v > 0 && v <= 1)) throw new CostFileException($"{fileName}: {n} must be in (0, 1], is {v.ToString(CultureInfo.InvariantCulture)}"); }
        Positive(NpuGmacs, "npuGmacs");
        Positive(DramPeakGBps, "dramPeakGBps");
        Fraction(DramEfficiency, "dramEfficiency");
        Positive(NpuPeakGmacs, "npuPeakGmacs");
        Positive(NpuVectorGelems, "npuVectorGelems");
        Positive(NpuActivationGelems, "npuActivationGelems");
        Positive(NpuMoveGBps, "npuMoveGBps");
        Positive(CpuTranscendentalGelems, "cpuTranscendentalGelems");
        Positive(CpuPostProcessNs, "cpuPostProcessNs");
        // Physical range: no effective rate above the NPU's peak.
        if (NpuGmacs > NpuPeakGmacs * (1 + 1e-9))
            throw new CostFileException($"{fileName}: npuGmacs {NpuGmacs.ToString(CultureInfo.InvariantCulture)} is above the NPU's peak {NpuPeakGmacs.ToString(CultureInfo.InvariantCulture)}");
        Positive(CpuGmacs, "cpuGmacs");
        Positive(TransitionCopyGBps, "transitionCopyGBps");
        Positive(ReferenceCores, "referenceCores");
        Fraction(DepthwiseEfficiency, "depthwiseEfficiency");
        Fraction(OtherKernelEfficiency, "otherKernelEfficiency");
        Fraction(NonSquareEfficiency, "nonSquareEfficiency");
        Fraction(PerChannelEfficiency, "perChannelEfficiency");
        if (LayerOverheadUs < 0 || InferenceOverheadUs < 0 || TransitionFixedUs < 0 || FloatNpuGmacs < 0 || ParamCacheBytes < 0 || OnChipBytes < 0 || VectorLanes < 0 || CrossValidationError is < 0 or >= 1 || ChannelMultiple < 0 || InputSizeMultiple < 0 || FirmwareSpread is < 0 or >= 1)
            throw new CostFileException($"{fileName}: a parameter is out of range");
        return this;
    }
}

/// <summary>A cost-parameter file that is not valid: names the file and what is wrong.</summary>
public sealed class CostFileException : FormatException
{
    public CostFileException(string message, Exception? inner = null) : base(message, inner) { }
}
