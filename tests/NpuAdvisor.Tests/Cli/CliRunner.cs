using NpuAdvisor.Cli;

namespace NpuAdvisor.Tests.Cli;

public sealed record CliRun(int ExitCode, string Out, string Err);

public static class CliRunner
{
    public static string Sample => Path.Combine(SharedModels.RepoRoot, "samples", "sample_int8.tflite");

    public static CliRun Run(params string[] args)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var code = Commands.Run(args, o, e, isTerminal: false);
        return new CliRun(code, o.ToString(), e.ToString());
    }
}
