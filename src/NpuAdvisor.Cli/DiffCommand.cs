using System.CommandLine;
using NpuAdvisor.Analysis;
using NpuAdvisor.Reports;

namespace NpuAdvisor.Cli;

/// <summary>`diff OLD NEW`: what a model change does on each target (placement, segments, findings, estimate).</summary>
internal static class DiffCommand
{
    public static Command Create(CliContext ctx)
    {
        var old = new Argument<string>("OLD") { Description = "The model before the change (.tflite or .onnx)" };
        var @new = new Argument<string>("NEW") { Description = "The model after the change; may be of the other format" };
        var target = Commands.TargetOption();
        var cores = Commands.CoresOption();
        var format = new Option<string>("--format", "-f") { Description = "table, json or markdown (a pull-request comment)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "markdown");
        var failOn = new Option<string>("--fail-on")
        {
            Description = "regression: exit 1 when NEW's estimate is larger (by more than 1 ns) or NEW has more CPU ops, on any requested target",
            DefaultValueFactory = _ => "none",
        };
        failOn.AcceptOnlyFromAmong("none", "regression");
        var top = new Option<int>("--top") { Description = "Table and markdown: how many entries to list per section (JSON lists all)", DefaultValueFactory = _ => DiffMarkdown.DefaultTop };
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file (atomically) instead of stdout" };
        var cmd = new Command("diff", "Compare two versions of a model per target: ops moved to or from the CPU and the rules that moved them, segments, findings added and removed, estimate with the per-layer changes.")
        {
            old, @new, target, cores, format, failOn, top, output,
        };
        cmd.SetAction(p =>
        {
            var targets = Commands.ResolveTargets(p.GetValue(target)!);
            var options = Commands.Options(p.GetValue(cores));
            var n = p.GetValue(top);
            if (n < 0) throw new UsageException("--top must be 0 or more");
            var (oldPath, newPath) = (p.GetValue(old)!, p.GetValue(@new)!);
            using var before = Commands.TryLoad(ctx, oldPath);
            using var after = Commands.TryLoad(ctx, newPath);
            if (before is null || after is null) return Commands.BadModel;
            var diff = ModelDiff.Compare(before, after, targets, options);
            var render = Renderer(ctx, p.GetValue(format)!, diff, n);
            if (p.GetValue(output) is { } path) AtomicFile.Write(path, [oldPath, newPath], render);
            else render(null);
            return p.GetValue(failOn) == "regression" && diff.Regressed ? Commands.FailOnMet : Commands.Ok;
        });
        return cmd;
    }

    /// <summary>Writes the report to the file stream, or to stdout when null.</summary>
    private static Action<Stream?> Renderer(CliContext ctx, string format, ModelDiff diff, int top) => format switch
    {
        "json" => file => Text(ctx, file, DiffJson.Render(diff)),
        "markdown" => file => Text(ctx, file, DiffMarkdown.Render(diff, top)),
        _ => file =>
        {
            if (file is null) { DiffTable.Write(ctx.Console(), diff, top); return; }
            using var w = new StreamWriter(file, new System.Text.UTF8Encoding(false), leaveOpen: true);
            DiffTable.Write(new CliContext(w, ctx.Err, false).Console(), diff, top);
        },
    };

    private static void Text(CliContext ctx, Stream? file, string text)
    {
        if (!text.EndsWith('\n')) text += "\n";
        if (file is null) ctx.Out.Write(text);
        else file.Write(new System.Text.UTF8Encoding(false).GetBytes(text));
    }
}
