using NpuAdvisor.Config;
using NpuAdvisor.Reports;
using System.CommandLine;
using NpuAdvisor.Formats;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Cli;

/// <summary>The command tree and what the verbs share: exit codes, model loading, target selection.</summary>
public static class Commands
{
    public const int Ok = 0, FailOnMet = 1, Usage = 2, BadModel = 3;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool? isTerminal = null)
    {
        var ctx = new CliContext(stdout, stderr, isTerminal ?? (!Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out)));
        var root = new RootCommand("npu-advisor: which operators of a TFLite/ONNX model run on the ARTPEC-7/8/9, CV25 and AMLNN NPUs, why, and what to change.")
        {
            InspectCommand.Create(ctx),
            CheckCommand.Create(ctx),
            TargetsCommand.Create(ctx),
            ReportCommand.Create(ctx),
            EstimateCommand.Create(ctx),
            CalibrateCommand.Create(ctx),
            FixCommand.Create(ctx),
            DiffCommand.Create(ctx),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) stderr.WriteLine("error: " + TerminalText.Escape(e.Message));
            stderr.WriteLine("Run 'npu-advisor --help' for usage.");
            return Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            // Usage errors quote paths, and a folder argument's file names are whatever the folder holds.
            stderr.WriteLine("error: " + TerminalText.Escape(e.Message));
            return Usage;
        }
        catch (ConfigException e)
        {
            // The message quotes the user's file (a misspelt key, a path): escape it like model text.
            stderr.WriteLine("error: " + TerminalText.Escape(e.Message));
            return Usage;
        }
    }

    /// <summary>Loads a model or prints the one typed error (no stack trace) and returns null.</summary>
    public static Graph? TryLoad(CliContext ctx, string path, bool asStored = false)
    {
        try
        {
            return ModelLoader.Load(path, asStored);
        }
        catch (ModelFormatException e)
        {
            ctx.Err.WriteLine($"error: {TerminalText.Escape(path)}: {TerminalText.Escape(e.Message)}");
            return null;
        }
    }

    public static Option<string[]> TargetOption() => new("--target", "-t")
    {
        Description = $"Targets: {string.Join(", ", TargetRegistry.All.Select(t => t.Id))} or all (comma-separated or repeated); when not given, the config's targets or all",
        DefaultValueFactory = _ => ["all"],
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string?> ConfigOption() => new("--config")
    {
        Description = $"Read this config (targets, fail_on, suppressions) instead of the {AdvisorConfig.FileName} found in the model's folder or its nearest parent",
    };

    /// <summary>The option's value when the command line gives it; null when it would only be the default.</summary>
    public static T? Given<T>(ParseResult p, Option<T> option) where T : class =>
        p.GetResult(option) is { Implicit: false } ? p.GetValue(option) : null;

    /// <summary>The targets of a one-model verb: --target when given, else the model's config, else all.</summary>
    public static IReadOnlyList<Target> TargetsFor(ParseResult p, Option<string[]> target, Option<string?> config, string model) =>
        ResolveTargets(Given(p, target) ?? new ConfigFiles(p.GetValue(config)).For(model)?.Targets ?? ["all"]);

    public static Option<int> CoresOption() => new("--cores")
    {
        Description = $"AMLNN convolution cores: 1, 2 or 4 (default {TargetOptions.DefaultCores})",
        DefaultValueFactory = _ => TargetOptions.DefaultCores,
    };

    /// <summary>Resolves target ids; an unknown id is a usage error that lists the valid ones.</summary>
    public static IReadOnlyList<Target> ResolveTargets(IEnumerable<string> ids)
    {
        var list = new List<Target>();
        foreach (var id in ids.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (id.Equals("all", StringComparison.OrdinalIgnoreCase)) { list.AddRange(TargetRegistry.All); continue; }
            var t = TargetRegistry.Find(id) ?? throw new UsageException(
                $"unknown target '{id}'. Targets: {string.Join(", ", TargetRegistry.All.Select(x => x.Id))}, all");
            list.Add(t);
        }
        return list.Distinct().ToList();
    }

    public static TargetOptions Options(int cores) => cores is 1 or 2 or 4
        ? new TargetOptions { Cores = cores }
        : throw new UsageException($"--cores must be 1, 2 or 4 (got {cores})");
}

public sealed class UsageException(string message) : Exception(message);
