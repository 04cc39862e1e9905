using System.CommandLine;
using NpuAdvisor.Config;
using NpuAdvisor.Reports;
using NpuAdvisor.Targets;
using Spectre.Console;

namespace NpuAdvisor.Cli;

internal static class TargetsCommand
{
    public static Command Create(CliContext ctx)
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print the Markdown of docs/targets.md" };
        var schema = new Option<bool>("--config-schema") { Description = $"Print the JSON Schema of npu-advisor.json ({ConfigSchema.DocsPath})" };
        var cmd = new Command("targets", "List the targets and every rule they check.") { markdown, schema };
        cmd.SetAction(p =>
        {
            if (p.GetValue(markdown)) { ctx.Out.Write(TargetsDoc.Markdown(TargetRegistry.All)); return Commands.Ok; }
            if (p.GetValue(schema)) { ctx.Out.Write(ConfigSchema.Render()); return Commands.Ok; }
            var c = ctx.Console();
            foreach (var t in TargetRegistry.All)
            {
                c.Write(new Spectre.Console.Rule($"[bold]{CliContext.Esc(t.Name)}[/] ({t.Id})").LeftJustified());
                c.MarkupLine(CliContext.Esc(t.Description));
                var table = new Table().AddColumns("id", "kind", "rule", "fix");
                foreach (var r in t.Rules)
                    table.AddRow(CliContext.Esc(r.Id), r.Kind.ToString().ToLowerInvariant(), CliContext.Esc(r.Summary), CliContext.Esc(r.Fix));
                c.Write(table);
            }
            return Commands.Ok;
        });
        return cmd;
    }
}
