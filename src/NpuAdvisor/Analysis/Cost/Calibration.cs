using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Analysis.Cost;

/// <summary>How a calibration row is used.</summary>
public enum CalibrationUse
{
    /// <summary>An Axis Model Zoo row: fitted to and reproduced within ±15%.</summary>
    Axis,
    /// <summary>A non-Axis row the fit uses as calibration.md allows (Coral Edge TPU, A311D).</summary>
    Fit,
    /// <summary>Reported, not fitted (ARTPEC-8 P1465-LE: the same SoC in a slower camera).</summary>
    Info,
}

/// <summary>One calibration.md row next to the model's estimate.</summary>
public sealed record CalibrationRow(string Target, string Chip, string Model, CalibrationUse Use, double MeasuredMs, double EstimatedMs)
{
    public double ErrorPercent => (EstimatedMs - MeasuredMs) / MeasuredMs * 100;
    public override string ToString() =>
        FormattableString.Invariant($"{Target,-8} {Chip,-28} {Model,-44} {Use,-4} measured {MeasuredMs,7:F2} ms  estimated {EstimatedMs,7:F2} ms  error {ErrorPercent,6:F1}%");
}

/// <summary>A fitted parameter: the value committed in the target's data file and the value the fit reproduces now.</summary>
public sealed record FittedParameter(string Target, string Name, double Committed, double Refit)
{
    public double RelativeDifference => Math.Abs(Refit - Committed) / Math.Abs(Committed);
    public override string ToString() => FormattableString.Invariant($"{Target,-8} {Name,-16} committed {Committed,12:G6}  refit {Refit,12:G6}");
}

public sealed record CalibrationReport(IReadOnlyList<CalibrationRow> Rows, IReadOnlyList<FittedParameter> Fitted);

/// <summary>
/// Fits the "fitted" parameters of every target to calibration.md only, and reports each row measured vs
/// estimated. The Axis rows' models: the MobileNetV2 graph (identical in shape to the shared
/// mobilenet_v2_1.0_224_quant.tflite; TF2 PTQ shape for tf2_mobilenet_v2_1.0_224_ptq), also standing in for
/// CV25's compiled MobileNetV2; EfficientNet-Lite0 300×300 built by <see cref="ReferenceGraphs"/>.
/// Procedure (deterministic): AMLNN overhead on the A311D mobilenet_v1 row (rate derived from InceptionV3);
/// ARTPEC-8, ARTPEC-9 and CV25 each one speed factor k on their rows (rate and bandwidth = A311D's / k,
/// overhead = A311D's × k), since one row cannot separate them;
/// ARTPEC-7: rate and overhead on Coral Dev Board MobileNet v1/v2, streaming bandwidth on Coral ResNet-50,
/// then one clock factor on the two ARTPEC-7 rows.
/// </summary>
public static class Calibration
{
    private sealed record Row(string Target, string Chip, string Model, CalibrationUse Use, double MeasuredMs, Func<Graph> Build, string? SharedFile = null);

    /// <summary>The shared files the Axis rows name, relative to shared/models.</summary>
    public const string MobileNetV2File = "tflite/coral/mobilenet_v2_1.0_224_quant.tflite";
    public const string MobileNetV2Tf2File = "tflite/coral/tf2_mobilenet_v2_1.0_224_ptq.tflite";

    private static readonly Lazy<Graph> MnV2 = new(() => ReferenceGraphs.MobileNetV2());
    private static readonly Lazy<Graph> MnV2Tf2 = new(() => ReferenceGraphs.MobileNetV2(tf2: true));
    private static readonly Dictionary<string, Graph> Loaded = new(StringComparer.Ordinal);
    private static readonly Lazy<Graph> MnV1 = new(() => ReferenceGraphs.MobileNetV1());
    private static readonly Lazy<Graph> EffLite0 = new(() => ReferenceGraphs.EfficientNetLite0(300));
    private static readonly Lazy<Graph> ResNet = new(() => ReferenceGraphs.ResNet50(299));

    private static readonly Row[] AxisRows =
    [
        new("artpec7", "ARTPEC-7 (Q1615 Mk III)", "mobilenet_v2_1.0_224_quant", CalibrationUse.Axis, 4.42, () => MnV2.Value, MobileNetV2File),
        new("artpec7", "ARTPEC-7 (Q1615 Mk III)", "tf2_mobilenet_v2_1.0_224_ptq", CalibrationUse.Axis, 4.58, () => MnV2Tf2.Value, MobileNetV2Tf2File),
        new("artpec8", "ARTPEC-8 (Q1656-LE)", "mobilenet_v2_1.0_224_quant", CalibrationUse.Axis, 5.36, () => MnV2.Value, MobileNetV2File),
        new("artpec8", "ARTPEC-8 (P1465-LE)", "mobilenet_v2_1.0_224_quant", CalibrationUse.Info, 9.89, () => MnV2.Value, MobileNetV2File),
        new("artpec9", "ARTPEC-9 (Q1728)", "mobilenet_v2_1.0_224_quant", CalibrationUse.Axis, 2.02, () => MnV2.Value, MobileNetV2File),
        // The cavalry .bin is not public: the shared TFLite MobileNetV2 stands in for the compiler's input.
        new("cv25", "CV25 (M3085-V)", "MobileNetV2 (mobilenet_v2_1.0_224_quant)", CalibrationUse.Axis, 5.35, () => MnV2.Value, MobileNetV2File),
        new("cv25", "CV25 (M3085-V)", "EfficientNet-Lite0 300x300 (built)", CalibrationUse.Axis, 6.86, () => EffLite0.Value),
        new("amlnn", "A311D (vx-delegate)", "mobilenet_v1_1.0_224_quant (built)", CalibrationUse.Fit, 6.42, () => MnV1.Value),
    ];

    private static readonly Row[] CoralRows =
    [
        new("artpec7", "Coral Dev Board (Edge TPU)", "MobileNet v1 (224, built)", CalibrationUse.Fit, 2.4, () => MnV1.Value),
        new("artpec7", "Coral Dev Board (Edge TPU)", "MobileNet v2 (224, built)", CalibrationUse.Fit, 2.6, () => MnV2.Value),
        new("artpec7", "Coral Dev Board (Edge TPU)", "ResNet-50 V1 (299, built)", CalibrationUse.Fit, 56, () => ResNet.Value),
    ];

    /// <summary>
    /// Runs the fit and reports every row with the committed parameters (Coral rows with the Coral-stage fit).
    /// With <paramref name="sharedModelsDir"/> (shared/models) the Axis rows read the shared .tflite files they
    /// name; without it they use the shape-identical built graphs. The committed values are fitted with the files.
    /// </summary>
    public static CalibrationReport Run(string? sharedModelsDir = null)
    {
        var models = new Models(sharedModelsDir);
        var fitted = Fit(models);
        var rows = new List<CalibrationRow>();
        foreach (var r in AxisRows)
            rows.Add(new CalibrationRow(r.Target, r.Chip, r.Model + (models.Of(r).Path.Length > 0 ? " (shared file)" : r.SharedFile is null ? "" : " (built, same shape)"),
                r.Use, r.MeasuredMs, EstimateMs(models, CostModel.Load(r.Target).Parameters, r)));
        foreach (var r in CoralRows)
            rows.Add(new CalibrationRow(r.Target, r.Chip, r.Model, r.Use, r.MeasuredMs, EstimateMs(models, fitted.Coral, r)));
        var list = new List<FittedParameter>();
        foreach (var (id, p) in fitted.Targets)
        {
            var committed = CostModel.Load(id).Parameters;
            foreach (var name in FittedNames(id))
                list.Add(new FittedParameter(id, name, Get(committed, name), Get(p, name)));
        }
        return new CalibrationReport(rows, list);
    }

    /// <summary>Names of the parameters the fit sets for a target.</summary>
    public static IReadOnlyList<string> FittedNames(string targetId) => targetId switch
    {
        "amlnn" => ["layerOverheadUs"],
        _ => ["npuGmacs", "layerOverheadUs", "dramGBps"],
    };

    private static double Get(CostParameters p, string name) => name switch
    {
        "npuGmacs" => p.NpuGmacs,
        "layerOverheadUs" => p.LayerOverheadUs,
        "dramGBps" => p.DramGBps,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>The fit: each target's parameters as the procedure sets them, plus the intermediate Coral Dev Board parameters.</summary>
    public static (IReadOnlyList<(string Id, CostParameters Parameters)> Targets, CostParameters Coral) Fit(string? sharedModelsDir = null) =>
        Fit(new Models(sharedModelsDir));

    private static (IReadOnlyList<(string Id, CostParameters Parameters)> Targets, CostParameters Coral) Fit(Models models)
    {
        var amlnn = CostModel.Load("amlnn").Parameters;
        amlnn = amlnn with { LayerOverheadUs = Fit1(models, v => amlnn with { LayerOverheadUs = v }, Rows("amlnn"), 0, 2000) };

        // One whole-chip speed factor per target on the A311D's shape (rate, overhead, bandwidth): a single Axis row
        // cannot separate them, and calibration.md attributes speed differences to "clock and memory" together.
        CostParameters Scaled(string id, double k) => CostModel.Load(id).Parameters with
        {
            NpuGmacs = Round(amlnn.NpuGmacs / k), LayerOverheadUs = Round(amlnn.LayerOverheadUs * k), DramGBps = Round(amlnn.DramGBps / k),
        };
        CostParameters FitFactor(string id) => Scaled(id, Fit1(models, k => Scaled(id, k), Rows(id), 0.01, 100));
        var artpec8 = FitFactor("artpec8");
        var artpec9 = FitFactor("artpec9");
        var cv25 = FitFactor("cv25");

        // Fixed starting point, so the fit does not depend on the values it is checked against.
        var a7 = CostModel.Load("artpec7").Parameters with { NpuGmacs = 100, LayerOverheadUs = 0, DramGBps = 1 };
        var mobileNets = CoralRows.Take(2).ToArray();
        var (coral, _) = Fit2(models, a7, (p, v) => p with { NpuGmacs = v }, 1, 100_000, (p, v) => p with { LayerOverheadUs = v }, 0, 2000, mobileNets);
        coral = coral with { DramGBps = Fit1(models, v => coral with { DramGBps = v }, CoralRows.Skip(2).ToArray(), 0.01, 1000) };
        CostParameters Slowed(double k) => coral with
        {
            NpuGmacs = Round(coral.NpuGmacs / k), LayerOverheadUs = Round(coral.LayerOverheadUs * k), DramGBps = Round(coral.DramGBps / k),
        };
        var clock = Fit1(models, Slowed, Rows("artpec7"), 0.1, 10);
        var artpec7 = Slowed(clock);

        return ([("artpec7", artpec7), ("artpec8", artpec8), ("artpec9", artpec9), ("cv25", cv25), ("amlnn", amlnn)], coral);
    }

    private static Row[] Rows(string target) => AxisRows.Where(r => r.Target == target && r.Use != CalibrationUse.Info).ToArray();

    private static readonly Dictionary<(Graph, string), TargetResult> Analyses = [];

    /// <summary>Where the rows' graphs come from: the shared files when a directory is given and holds them, else the built twins.</summary>
    private sealed class Models(string? dir)
    {
        public Graph Of(Row row)
        {
            if (dir is null || row.SharedFile is null) return row.Build();
            var path = Path.Combine(dir, row.SharedFile);
            if (!File.Exists(path)) return row.Build();
            lock (Loaded)
            {
                if (!Loaded.TryGetValue(path, out var g)) Loaded[path] = g = TfliteImporter.Load(path);
                return g;
            }
        }
    }

    private static double EstimateMs(Models models, CostParameters p, Row row)
    {
        TargetResult result;
        var graph = models.Of(row);
        lock (Analyses)
        {
            if (!Analyses.TryGetValue((graph, row.Target), out result!))
                Analyses[(graph, row.Target)] = result = (TargetRegistry.Find(row.Target) ?? throw new InvalidOperationException(row.Target)).Analyze(graph);
        }
        return new CostModel(p).Run(result, CostPlan.Baseline).TotalMs;
    }

    /// <summary>Sum of squared log errors: a relative fit that treats a 10% miss on a 2 ms row like one on a 50 ms row.</summary>
    private static double Loss(Models models, CostParameters p, IReadOnlyList<Row> rows) =>
        rows.Sum(r => Math.Pow(Math.Log(EstimateMs(models, p, r) / r.MeasuredMs), 2));

    /// <summary>Golden-section search of one parameter in log space (linear when the range starts at 0).</summary>
    private static double Fit1(Models models, Func<double, CostParameters> with, IReadOnlyList<Row> rows, double lo, double hi)
    {
        var log = lo > 0;
        double To(double v) => log ? Math.Log(v) : v;
        double From(double u) => log ? Math.Exp(u) : u;
        double a = To(lo), b = To(hi);
        var g = (Math.Sqrt(5) - 1) / 2;
        double c = b - g * (b - a), d = a + g * (b - a);
        double fc = Loss(models, with(From(c)), rows), fd = Loss(models, with(From(d)), rows);
        for (var i = 0; i < 80; i++)
        {
            if (fc < fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = Loss(models, with(From(c)), rows); }
            else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = Loss(models, with(From(d)), rows); }
        }
        return Round(From((a + b) / 2));
    }

    /// <summary>Two parameters by alternating one-dimensional searches.</summary>
    private static (CostParameters, double) Fit2(Models models, CostParameters p,
        Func<CostParameters, double, CostParameters> set1, double lo1, double hi1,
        Func<CostParameters, double, CostParameters> set2, double lo2, double hi2, IReadOnlyList<Row> rows)
    {
        for (var i = 0; i < 40; i++)
        {
            var q = p;
            p = set1(p, Fit1(models, v => set1(q, v), rows, lo1, hi1));
            var q2 = p;
            p = set2(p, Fit1(models, v => set2(q2, v), rows, lo2, hi2));
        }
        return (p, Loss(models, p, rows));
    }

    /// <summary>Four significant digits: what the data files hold.</summary>
    private static double Round(double v) => v == 0 ? 0 : Math.Round(v, Math.Max(0, 3 - (int)Math.Floor(Math.Log10(Math.Abs(v)))));
}
