using System.CommandLine;
using NpuAdvisor.Analysis;
using NpuAdvisor.Reports;

namespace NpuAdvisor.Cli;

internal static class ReportCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Argument<string>("MODEL") { Description = "A .tflite or .onnx file" };
        var output = new Option<string>("--output", "-o") { Description = "The HTML file to write", Required = true };
        var target = Commands.TargetOption();
        var cores = Commands.CoresOption();
        var config = Commands.ConfigOption();
        var cmd = new Command("report", "Write one self-contained HTML report: the model graph coloured by placement per target, findings, estimates and a target comparison.")
        {
            model, output, target, cores, config,
        };
        cmd.SetAction(p =>
        {
            var path = p.GetValue(model)!;
            var targets = Commands.TargetsFor(p, target, config, path);
            var options = Commands.Options(p.GetValue(cores));
            using var g = Commands.TryLoad(ctx, path);
            if (g is null) return Commands.BadModel;
            var results = Advisor.Check(g, targets, options);
            AtomicFile.Write(p.GetValue(output)!, [path], s => HtmlReport.Write(g, results, s));
            ctx.Out.WriteLine($"wrote {TerminalText.Escape(p.GetValue(output))} ({results.Count} target{(results.Count == 1 ? "" : "s")}, {g.Main.Operators.Count} ops)");
            return Commands.Ok;
        });
        return cmd;
    }
}
