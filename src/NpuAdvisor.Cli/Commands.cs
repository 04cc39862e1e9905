using System.CommandLine;

namespace NpuAdvisor.Cli;

/// <summary>Builds the command tree; verbs are added as they land.</summary>
public static class Commands
{
    public const int Ok = 0, FailOnMet = 1, Usage = 2, BadModel = 3;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("npu-advisor: which operators of a TFLite/ONNX model run on ARTPEC-7/8/9, CV25 and AMLNN NPUs, and why.");
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) stderr.WriteLine(e.Message);
            return Usage;
        }
        return parse.Invoke(config);
    }
}
