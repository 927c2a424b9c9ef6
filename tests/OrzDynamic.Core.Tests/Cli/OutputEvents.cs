using System.Diagnostics;
using NUnit.Framework;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// Waits for what a running CLI process writes (a journal line, a log marker) instead of for a span of time: the
/// condition is re-checked on every file change under a watched folder, and at least every 50 ms in case a change
/// notification is lost. A process that exits first, or a condition still false after a generous timeout, fails the
/// test with a message naming the event and the process's output so far.
/// </summary>
internal static class OutputEvents
{
    /// <summary>Complete (newline-terminated) lines of <paramref name="path"/>, read while another process writes it; 0 when it does not exist.</summary>
    public static int CompleteLines(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[64 * 1024];
            int n = 0, read;
            while ((read = fs.Read(buffer, 0, buffer.Length)) > 0)
                n += buffer.AsSpan(0, read).Count((byte)'\n');
            return n;
        }
        catch (FileNotFoundException) { return 0; }
        catch (DirectoryNotFoundException) { return 0; }
    }

    /// <summary>Sum of <see cref="CompleteLines"/> over <paramref name="paths"/>.</summary>
    public static int CompleteLines(IEnumerable<string> paths) => paths.Sum(CompleteLines);

    /// <summary>
    /// Blocks until <paramref name="condition"/> holds while <paramref name="process"/> runs. <paramref name="watched"/>
    /// is the folder the process writes into (it may not exist yet: its nearest existing ancestor is watched).
    /// </summary>
    public static void WaitFor(Process process, string watched, Func<bool> condition, string what, TimeSpan timeout, Func<string>? output = null)
    {
        var dir = new DirectoryInfo(watched);
        while (!dir.Exists) dir = dir.Parent ?? throw new DirectoryNotFoundException(watched);
        using var changed = new AutoResetEvent(false);
        using var watcher = new FileSystemWatcher(dir.FullName) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite };
        void Signal(object? _, EventArgs __) => changed.Set();
        watcher.Changed += Signal;
        watcher.Created += Signal;
        watcher.Renamed += Signal;
        watcher.Error += (_, _) => changed.Set();
        watcher.EnableRaisingEvents = true;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited)
                Assert.Fail($"the process exited (code {process.ExitCode}) before {what}.{Output(output)}");
            if (clock.Elapsed > timeout)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"no {what} within {timeout.TotalMinutes:0.#} minutes.{Output(output)}");
            }
            changed.WaitOne(TimeSpan.FromMilliseconds(50));
        }
    }

    private static string Output(Func<string>? output) => output is null ? "" : "\nOutput so far:\n" + output();
}
