using System.Diagnostics;

namespace NpuAdvisor.Tests.Rewrite;

public enum Verdict { Identical, Differ, Skip }

public sealed record Comparison(Verdict Verdict, string Detail);

/// <summary>
/// Runs two TFLite files on Arm NN 20.08's CpuRef backend (Debian python3-pyarmnn, installed by .ci/run)
/// with the same seeded random inputs, through tests/executors/armnn_compare.py, and says whether every
/// output is bit-identical. Skip means Arm NN cannot run the original model at all.
/// </summary>
public static class ArmNnExecutor
{
    public static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static string Script => Path.Combine(SharedModels.RepoRoot, "tests", "executors", "armnn_compare.py");

    public static Comparison Compare(string original, string rewritten, int seed = 20261204, int runs = 2)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Script, original, rewritten, seed.ToString(), runs.ToString() }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + Python);
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd().Trim();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"Arm NN comparison of {original} timed out");
        }
        var err = stderr.Result;
        if (err.Contains("No module named 'pyarmnn'", StringComparison.Ordinal))
            throw new InvalidOperationException("python3-pyarmnn is not installed: apt-get install -y python3-pyarmnn libarmnn-cpuref-backend22 libarmnntfliteparser22 (.ci/run does this)");
        return p.ExitCode switch
        {
            0 => new Comparison(Verdict.Identical, stdout),
            1 => new Comparison(Verdict.Differ, stdout),
            77 => new Comparison(Verdict.Skip, stdout),
            _ => throw new InvalidOperationException($"armnn_compare.py exited {p.ExitCode}: {stdout} {err}"),
        };
    }

    /// <summary>Writes both graphs' bytes to a temporary folder and compares them.</summary>
    public static Comparison Compare(byte[] original, byte[] rewritten, int seed = 20261204, int runs = 2)
    {
        var dir = Directory.CreateTempSubdirectory("npu-advisor-armnn-");
        try
        {
            var a = Path.Combine(dir.FullName, "original.tflite");
            var b = Path.Combine(dir.FullName, "rewritten.tflite");
            File.WriteAllBytes(a, original);
            File.WriteAllBytes(b, rewritten);
            return Compare(a, b, seed, runs);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
