using System.Diagnostics;
using NUnit.Framework;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Results;

/// <summary>One writer per output directory: an OS lock, named holder, released on dispose and on process death.</summary>
[TestFixture]
public class OutputDirectoryLockTests
{
    [Test]
    public void ASecondHolderIsRefusedWithTheFirstOnesProcessAndHost()
    {
        using var tmp = new TempDirectory();
        var dir = tmp.Sub("out");
        using (var first = OutputDirectoryLock.Acquire(dir))
        {
            Assert.That(first.Directory, Is.EqualTo(Path.GetFullPath(dir)));
            Assert.That(OutputDirectoryLock.IsHeld(dir), Is.True);
            var ex = Assert.Throws<OutputDirectoryInUseException>(() => OutputDirectoryLock.Acquire(dir))!;
            Assert.That(ex.Holder, Is.EqualTo($"process {Environment.ProcessId} on host {Environment.MachineName}"));
            Assert.That(ex.Message, Does.StartWith(Path.GetFullPath(dir) + ": output directory is in use by process " + Environment.ProcessId));
            Assert.That(ex.Message, Does.Not.Contain("\n"));
        }
        Assert.That(OutputDirectoryLock.IsHeld(dir), Is.False);
        using var again = OutputDirectoryLock.Acquire(dir);
        Assert.That(OutputDirectoryLock.IsHeld(dir), Is.True);
    }

    [Test]
    public void TheLockIsAnOsLockThatOtherProcessesSee()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("uses util-linux flock(1)");
        using var tmp = new TempDirectory();
        var dir = tmp.Sub("out");
        var lockFile = Path.Combine(dir, OutputDirectoryLock.LockFileName);
        using (OutputDirectoryLock.Acquire(dir))
            Assert.That(Flock(lockFile, "true"), Is.EqualTo(1), "flock -n fails while the lock is held");
        Assert.That(Flock(lockFile, "true"), Is.Zero, "flock -n succeeds once it is released");
    }

    [Test]
    public void AKilledHolderLeavesNoStaleLock()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("uses util-linux flock(1)");
        using var tmp = new TempDirectory();
        var dir = tmp.Sub("out");
        Directory.CreateDirectory(dir);
        var lockFile = Path.Combine(dir, OutputDirectoryLock.LockFileName);
        File.WriteAllText(Path.Combine(dir, OutputDirectoryLock.OwnerFileName), "process 1 on host elsewhere\n");
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-w", "30", "-o", lockFile, "sleep", "60"]) { RedirectStandardOutput = true })!;
        // The holder waits for the lock (-w) rather than failing at once (-n): a poll of IsHeld takes the lock for a
        // moment. With -o the lock is held by flock(1) itself, not by its child, so killing flock(1) releases it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!OutputDirectoryLock.IsHeld(dir))
        {
            Assert.That(holder.HasExited, Is.False, "flock(1) could not take the lock");
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "flock(1) did not take the lock within 30 s");
            Thread.Sleep(20);
        }
        var ex = Assert.Throws<OutputDirectoryInUseException>(() => OutputDirectoryLock.Acquire(dir))!;
        Assert.That(ex.Holder, Is.EqualTo("process 1 on host elsewhere"), "the owner file names the holder");
        holder.Kill(entireProcessTree: true);
        holder.WaitForExit();
        // WaitForExit covers flock(1) only; its child (sleep, which holds the descriptor) dies a moment later.
        var released = DateTime.UtcNow.AddSeconds(30);
        while (OutputDirectoryLock.IsHeld(dir))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(released), "the lock of the killed holder was not released within 30 s");
            Thread.Sleep(20);
        }
        using var after = OutputDirectoryLock.Acquire(dir);
        Assert.That(File.ReadAllText(Path.Combine(dir, OutputDirectoryLock.OwnerFileName)).Trim(), Is.EqualTo(OutputDirectoryLock.Self));
    }

    private static int Flock(string file, string command)
    {
        using var p = Process.Start(new ProcessStartInfo("flock", ["-n", file, command]))!;
        p.WaitForExit();
        return p.ExitCode;
    }
}
