namespace NpuAdvisor.Cli;

/// <summary>Writes output files via a temp file in the same folder plus rename, and never over an input model.</summary>
internal static class AtomicFile
{
    public static void Write(string path, IEnumerable<string> inputs, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        if (inputs.Any(i => FileIdentity.Same(i, full)))
            throw new UsageException($"refusing to write over the input model '{path}'");
        var dir = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var s = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                write(s);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
