using System.Diagnostics;

namespace ClipSearch.Tests.Shared;

/// <summary>A small tmpfs mounted on a folder (as root), to make a file system full or read-only for real; unmounted on dispose.</summary>
internal sealed class TmpfsMount : IDisposable
{
    private static readonly Lazy<string?> Reason = new(Probe);

    public TmpfsMount(string folder, string size)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
        Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder);
    }

    /// <summary>Why tmpfs cannot be mounted here (not root, no CAP_SYS_ADMIN), or null when it can.</summary>
    public static string? Unavailable => Reason.Value;

    public string Folder { get; }

    /// <summary>Remounts with <paramref name="options"/>, e.g. "ro", "rw" or "size=50m".</summary>
    public void Remount(string options) => Run("mount", "-o", $"remount,{options}", Folder);

    public void Dispose()
    {
        try
        {
            Run("umount", "-l", Folder);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            return "needs root on Linux: the test mounts a small tmpfs to fill it or make it read-only (chmod does not stop root)";
        }

        var folder = Path.Combine(Path.GetTempPath(), "clipsearch-tmpfs-probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (new TmpfsMount(folder, "1m"))
            {
            }

            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"cannot mount a tmpfs here ({e.Message})";
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {error.Trim()}");
        }
    }
}
