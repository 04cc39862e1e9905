using NpuAdvisor.Formats;

namespace NpuAdvisor.Cli;

/// <summary>Expands the MODEL arguments: files as given, folders to the .tflite/.onnx files in them (sorted, optionally recursive).</summary>
internal static class ModelFiles
{
    public static List<string> Expand(IEnumerable<string> args, bool recursive)
    {
        var files = new List<string>();
        foreach (var a in args)
        {
            if (Directory.Exists(a))
            {
                files.AddRange(Directory.EnumerateFiles(a, "*", new EnumerationOptions { RecurseSubdirectories = recursive, AttributesToSkip = FileAttributes.ReparsePoint })
                    .Where(f => ModelLoader.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    .Order(StringComparer.Ordinal));
            }
            else files.Add(a);
        }
        return files;
    }
}
