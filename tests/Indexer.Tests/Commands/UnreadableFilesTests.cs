using System.Diagnostics;
using System.Text.Json;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>
/// Files and folders the indexer may not read. Root reads everything, so when the tests run as root the
/// indexer runs as user nobody (setpriv), as it would for a user without the rights.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnreadableFilesTests
{
    private const UnixFileMode Everyone = (UnixFileMode)0x1FF; // rwxrwxrwx

    [SkippableFact]
    public async Task Index_UnreadableFileAndFolder_FileIsSkippedAsUnreadableAndTheFolderKeepsItsImages()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "permissions are tested on Linux");
        var asRoot = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || GetUid() == 0;
        Skip.If(asRoot && !File.Exists("/usr/bin/setpriv"), "running as root and setpriv (util-linux) is missing, so no unprivileged user can be used");

        using var folder = new IndexTestFolder();
        folder.WriteImage("open.png", 1);
        folder.WriteImage("locked.png", 2);
        folder.WriteImage("private/inside.png", 3);
        var (exit, _, _) = await folder.IndexAsync();
        Assert.Equal(0, exit);

        folder.WriteImage("locked.png", 4); // changed, so it must be read again
        File.SetUnixFileMode(folder.PathOf("locked.png"), 0);
        File.SetUnixFileMode(folder.PathOf("private"), 0);
        try
        {
            string stdout, stderr;
            if (asRoot)
            {
                OpenUp(folder.Root);
                (exit, stdout, stderr) = await RunAsNobodyAsync(folder);
            }
            else
            {
                (exit, stdout, stderr) = await CliRunner.RunAsync("index", folder.Images, "--store", folder.Store, "--json");
            }

            Assert.True(exit == 0, stderr);
            var summary = JsonDocument.Parse(CliRunner.Lines(stdout)[^1]).RootElement;
            Assert.Equal(1, summary.Skipped("unreadable"));
            Assert.Contains("could not list", stderr, StringComparison.Ordinal);
            Assert.Contains("private", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(folder.PathOf("locked.png"), Everyone);
            File.SetUnixFileMode(folder.PathOf("private"), Everyone);
        }

        var points = await folder.PointsAsync();
        Assert.Equal(["open.png", "private/inside.png"], points.Keys.Order(StringComparer.Ordinal)); // the unlisted folder's image is kept
        var skipped = Assert.Single(await folder.SkippedAsync());
        Assert.Equal(("locked.png", "unreadable", "permission denied"), skipped);

        // Readable again: indexed on the next run, and gone from the skipped list.
        var (_, again, _) = await folder.IndexAsync();
        Assert.Equal(1, again.Count("indexed"));
        Assert.Empty(await folder.SkippedAsync());
    }

    private static void OpenUp(string root)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            var name = Path.GetFileName(entry);
            if (name is not "locked.png" and not "private")
            {
                File.SetUnixFileMode(entry, Everyone);
            }
        }

        File.SetUnixFileMode(root, Everyone);
    }

    private static async Task<(int, string, string)> RunAsNobodyAsync(IndexTestFolder folder)
    {
        var home = Path.Combine(folder.Root, "home");
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, Everyone);
        var info = new ProcessStartInfo("/usr/bin/setpriv") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", Path.Combine(AppContext.BaseDirectory, "clipsearch.dll"),
            "index", folder.Images, "--store", folder.Store, "--json" })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["HOME"] = home;
        info.Environment["DOTNET_CLI_HOME"] = home;
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();
}
