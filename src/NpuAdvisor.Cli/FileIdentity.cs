using System.Runtime.InteropServices;

namespace NpuAdvisor.Cli;

/// <summary>Whether two paths name the same file: the same full path, a symbolic link to it, or (on Linux) a hard link (same device and inode).</summary>
internal static partial class FileIdentity
{
    public static bool Same(string a, string b)
    {
        var fa = Resolve(a);
        var fb = Resolve(b);
        if (string.Equals(fa, fb, StringComparison.Ordinal)) return true;
        return OperatingSystem.IsLinux() && File.Exists(fa) && File.Exists(fb) && Inode(fa) is { } ia && Inode(fb) is { } ib && ia == ib;
    }

    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? full : Path.GetFullPath(target.FullName);
        }
        catch (IOException)
        {
            return full;
        }
    }

    // glibc's struct stat starts with st_dev then st_ino (8 bytes each) on x86-64 and arm64.
    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, byte[] buffer);

    private static (ulong Dev, ulong Ino)? Inode(string path)
    {
        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64)) return null;
        var buffer = new byte[256];
        try
        {
            return Stat(path, buffer) == 0 ? (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8)) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}
