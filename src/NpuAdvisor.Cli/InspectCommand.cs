using System.CommandLine;
using NpuAdvisor.Formats;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using Spectre.Console;

namespace NpuAdvisor.Cli;

internal static class InspectCommand
{
    public static Command Create(CliContext ctx)
    {
        var model = new Argument<string>("MODEL") { Description = "A .tflite or .onnx file" };
        var format = new Option<string>("--format") { Description = "table or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var cmd = new Command("inspect", "Summarise a model: subgraphs, op histogram, inputs/outputs, parameters, MACs, quantization, and a per-op table.")
        {
            model, format,
        };
        cmd.SetAction(p => Run(ctx, p.GetValue(model)!, p.GetValue(format)!));
        return cmd;
    }

    private static int Run(CliContext ctx, string path, string format)
    {
        using var g = Commands.TryLoad(ctx, path, asStored: true);
        if (g is null) return Commands.BadModel;
        if (format == "json")
        {
            using var s = new MemoryStream();
            InspectJson.Write(s, g);
            ctx.Out.WriteLine(System.Text.Encoding.UTF8.GetString(s.ToArray()));
            return Commands.Ok;
        }
        WriteTable(ctx.Console(), g);
        return Commands.Ok;
    }

    private static void WriteTable(IAnsiConsole c, Graph g)
    {
        var facts = ModelFacts.Of(g);
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string k, string v) => grid.AddRow(new Markup($"[bold]{k}[/]"), new Markup(v));
        Row("model", CliContext.Esc(g.Path));
        Row("format", $"{g.Format} (version {g.Version}), {g.FileSize:N0} bytes, layout {(g.Layout == TensorLayout.Nhwc ? "NHWC" : "NCHW")}");
        if (g.Description.Length > 0) Row("description", CliContext.Esc(g.Description));
        Row("subgraphs", $"{g.Subgraphs.Count} ({string.Join(", ", g.Subgraphs.Select(s => $"{s.Operators.Count} ops"))})");
        Row("parameters", $"{facts.ParameterCount:N0} values, {facts.ParameterBytes:N0} bytes");
        Row("MACs", $"{facts.Macs:N0}");
        Row("quantization", facts.Scheme.Describe());
        Row("op histogram", CliContext.Esc(string.Join(", ", facts.OpHistogram.Select(p => $"{p.Key}×{p.Value}"))));
        foreach (var (k, v) in g.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) Row(CliContext.Esc(k), CliContext.Esc(v));
        if (g.Metadata.Count > 0) Row("metadata", CliContext.Esc(string.Join(", ", g.Metadata.Select(m => $"{m.Name} ({m.Data.Length} B)"))));
        c.Write(grid);
        c.WriteLine();

        var io = new Table().Title("inputs and outputs").AddColumns("", "name", "shape", "type", "quantization");
        foreach (var t in g.Main.Inputs) io.AddRow("in", CliContext.Esc(t.Name), CliContext.Esc(t.Shape.ToString()), t.Type.Name(), CliContext.Esc(t.Quantization.ToString()));
        foreach (var t in g.Main.Outputs) io.AddRow("out", CliContext.Esc(t.Name), CliContext.Esc(t.Shape.ToString()), t.Type.Name(), CliContext.Esc(t.Quantization.ToString()));
        c.Write(io);

        var ops = new Table().Title("operators").AddColumns("sg", "#", "op", "name", "inputs", "outputs", "MACs");
        ops.Columns[6].RightAligned();
        foreach (var op in g.AllOperators)
            ops.AddRow(op.SubgraphIndex.ToString(), op.Index.ToString(), CliContext.Esc(op.TypeName), CliContext.Esc(op.Name),
                CliContext.Esc(Describe(op.Inputs.Where(t => t is { IsConstant: false }))), CliContext.Esc(Describe(op.Outputs)),
                op.Macs(g.Layout) is > 0 and var m ? m.ToString("N0") : "");
        c.Write(ops);
    }

    private static string Describe(IEnumerable<Tensor?> ts) =>
        string.Join(" ", ts.Where(t => t is not null).Select(t => $"{t!.Shape} {t.Type.Name()}"));
}
