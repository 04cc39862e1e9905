using System.CommandLine;
using NpuAdvisor.Analysis;
using NpuAdvisor.Analysis.Cost;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using Spectre.Console;
using static NpuAdvisor.Cli.CliContext;

namespace NpuAdvisor.Cli;

/// <summary>`estimate`: latency per target with its range, the slowest layers, and where the time goes.</summary>
internal static class EstimateCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Argument<string>("MODEL") { Description = "A .tflite or .onnx file" };
        var target = Commands.TargetOption();
        var cores = Commands.CoresOption();
        var top = new Option<int>("--top") { Description = "How many of the slowest layers to list per target", DefaultValueFactory = _ => 10 };
        var format = new Option<string>("--format", "-f") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var config = Commands.ConfigOption();
        var cmd = new Command("estimate", "Estimate latency per target and per layer, with the time on NPU, CPU and NPU↔CPU transitions.")
        {
            model, target, cores, top, format, config,
        };
        cmd.SetAction(p =>
        {
            var targets = Commands.TargetsFor(p, target, config, p.GetValue(model)!);
            var options = Commands.Options(p.GetValue(cores));
            var n = p.GetValue(top);
            if (n < 0) throw new UsageException("--top must be 0 or more");
            using var g = Commands.TryLoad(ctx, p.GetValue(model)!);
            if (g is null) return Commands.BadModel;
            var results = Advisor.Check(g, targets, options);
            if (p.GetValue(format) == "json") ctx.Out.WriteLine(EstimateJson.Render(g, results, n));
            else WriteTable(ctx.Console(), results, n);
            return Commands.Ok;
        });
        return cmd;
    }

    private static void WriteTable(IAnsiConsole c, IReadOnlyList<TargetResult> results, int top)
    {
        var totals = new Table().Title("estimated latency (ranked)")
            .AddColumns("target", "estimate ms", "range ms", "NPU ms", "CPU ms", "transitions ms", "transitions", "DRAM MB", "streamed params");
        foreach (var r in results.OrderBy(r => r.Estimate!.TotalMs))
        {
            var e = r.Estimate!;
            totals.AddRow(Esc(r.Target.Name), $"{e.TotalMs:0.00}", $"{e.LowMs:0.00}–{e.HighMs:0.00}", $"{e.NpuMs:0.00}", $"{e.CpuMs:0.00}",
                $"{e.TransitionMs:0.00}", e.Transitions.ToString(), $"{e.DramBytes / 1e6:0.0}", e.StreamedParamBytes > 0 ? $"{e.StreamedParamBytes:N0} B" : "–");
        }
        c.Write(totals);
        c.MarkupLine($"[dim]{Esc(EstimateJson.Disclaimer)}[/]");
        if (top == 0) return;
        foreach (var r in results)
        {
            var t = new Table().Title($"{Esc(r.Target.Name)}: slowest {top} layers")
                .AddColumns("#", "op", "name", "MACs", "bytes", "ms", "bound", "util.");
            foreach (var o in EstimateJson.Slowest(r.Estimate!, top))
                t.AddRow(o.Op.Op.Index.ToString(), Esc(o.Op.Op.TypeName), Esc(Short(o.Op.Op.Name)), o.Op.Macs.ToString("N0"),
                    o.DramBytes.ToString("N0"), o.Ms.ToString("0.000"), o.Bound.Name(), o.Op.Macs > 0 ? $"{o.Efficiency * 100:0}%" : "–");
            c.Write(t);
        }
    }

    private static string Short(string s) => s.Length <= 60 ? s : "…" + s[^59..];
}

/// <summary>`calibrate`: refits the cost model to calibration.md and prints measured vs estimated per row.</summary>
internal static class CalibrateCommand
{
    public static Command Create(CliContext ctx)
    {
        var shared = new Option<string?>("--shared-models") { Description = "shared/models folder (the calibration rows name files there); default: ../shared/models beside the current folder if present" };
        var crossValidate = new Option<bool>("--cross-validate") { Description = "Also refit with each row left out in turn and print its left-out error, the median and the worst" };
        var cmd = new Command("calibrate", "Fit the latency model to the published figures in calibration.md and print measured vs estimated for every row.") { shared, crossValidate };
        cmd.SetAction(p =>
        {
            var dir = p.GetValue(shared) ?? Path.Combine("..", "shared", "models");
            var models = Directory.Exists(dir) ? dir : null;
            var report = Calibration.Run(models);
            var t = new Table().Title("fit").AddColumns("target", "chip", "model", "use", "measured ms", "estimated ms", "error");
            foreach (var r in report.Rows)
                t.AddRow(Esc(r.Target), Esc(r.Chip), Esc(r.Model), r.Use.ToString().ToLowerInvariant(), $"{r.MeasuredMs:0.00}", $"{r.EstimatedMs:0.00}", $"{r.ErrorPercent:+0.0;-0.0;0.0}%");
            var c = ctx.Console();
            c.Write(t);
            var u = new Table().Title("not fitted").AddColumns("chip", "model", "measured ms", "why");
            foreach (var r in report.Unfitted) u.AddRow(Esc(r.Chip), Esc(r.Model), $"{r.MeasuredMs:0.00}", Esc(r.Reason));
            c.Write(u);
            var drift = report.Fitted.Where(f => f.RelativeDifference > 1e-3).ToList();
            c.MarkupLine(drift.Count == 0
                ? "refit reproduces the committed parameters"
                : "[yellow]refit differs from the committed parameters:[/] " + Esc(string.Join("; ", drift)));
            if (!p.GetValue(crossValidate)) return Commands.Ok;
            var cv = Calibration.CrossValidate(models);
            var x = new Table().Title("leave-one-out cross-validation").AddColumns("target", "chip", "model", "measured ms", "left-out estimate ms", "error");
            foreach (var r in cv.Rows)
                x.AddRow(Esc(r.Target), Esc(r.Chip), Esc(r.Model), $"{r.MeasuredMs:0.00}", $"{r.LeftOutMs:0.00}", $"{r.ErrorPercent:+0.0;-0.0;0.0}%");
            c.Write(x);
            c.MarkupLine($"left-out |error|: median {cv.MedianAbsPercent:0.0}%, worst {cv.WorstAbsPercent:0.0}%");
            foreach (var id in CostParameters.TargetIds)
                c.MarkupLine($"  {Esc(id)}: median {cv.TargetMedian(id) * 100:0.0}% (committed crossValidationError {CostModel.Load(id).Parameters.CrossValidationError * 100:0.0}%)");
            return Commands.Ok;
        });
        return cmd;
    }
}
