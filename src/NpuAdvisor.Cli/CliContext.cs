using Spectre.Console;

namespace NpuAdvisor.Cli;

/// <summary>Where a command writes: plain writers (tests, pipes) or the terminal (colour, progress).</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr, bool isTerminal)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;
    public bool IsTerminal { get; } = isTerminal;

    /// <summary>Width used when stdout is not a terminal (unless COLUMNS says otherwise), so piped tables are not squeezed to 80 columns.</summary>
    public const int PipeWidth = 200;

    public IAnsiConsole Console()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!IsTerminal)
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var w) && w is >= 40 and <= 1000 ? w : PipeWidth;
        return console;
    }

    /// <summary>Model-derived text for a Spectre table or grid: control characters shown escaped, markup inert.</summary>
    public static string Esc(string? s) => Markup.Escape(NpuAdvisor.Reports.TerminalText.Escape(s));
}
