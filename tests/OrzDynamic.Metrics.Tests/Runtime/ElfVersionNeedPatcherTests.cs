using System.Diagnostics;
using NUnit.Framework;
using OrzDynamic.Metrics.Runtime;

namespace OrzDynamic.Metrics.Tests.Runtime;

[TestFixture]
public class ElfVersionNeedPatcherTests
{
    private static string ShimPath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(path)) Assert.Ignore($"LibTorchSharp shim not found at {path} (only shipped for linux-x64).");
        return path;
    }

    [Test]
    public void Shim_RequiresGlibcxx3432_AsStrongDependency()
    {
        var needs = ElfVersionNeedPatcher.ReadVersionNeeds(File.ReadAllBytes(ShimPath()));
        var need = needs.Single(n => n.Version == TorchNativeLoader.MissingVersion);
        Assert.That(need.Library, Is.EqualTo("libstdc++.so.6"));
        Assert.That(need.Flags & ElfVersionNeedPatcher.VerFlagWeak, Is.Zero);
    }

    [Test]
    public void PatchedShim_DiffersOnlyInThatFlag()
    {
        var original = File.ReadAllBytes(ShimPath());
        var cache = Path.Combine(Path.GetTempPath(), "orz-elf-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var patchedPath = TorchNativeLoader.EnsurePatchedCopy(ShimPath(), cache);
            var patched = File.ReadAllBytes(patchedPath);
            Assert.That(patched, Has.Length.EqualTo(original.Length));
            var diffs = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
            var need = ElfVersionNeedPatcher.ReadVersionNeeds(original).Single(n => n.Version == TorchNativeLoader.MissingVersion);
            // Exactly one byte of the 16-bit vna_flags field changes: 0 -> 2 (little endian low byte).
            Assert.That(diffs, Is.EqualTo(new[] { (int)need.FlagsOffset }));
            Assert.That(patched[need.FlagsOffset] & 0x2, Is.EqualTo(2));

            var after = ElfVersionNeedPatcher.ReadVersionNeeds(patched);
            var before = ElfVersionNeedPatcher.ReadVersionNeeds(original);
            Assert.That(after.Select(n => (n.Library, n.Version)), Is.EqualTo(before.Select(n => (n.Library, n.Version))));
            Assert.That(after.Where(n => n.Version != TorchNativeLoader.MissingVersion).Select(n => n.Flags),
                Is.EqualTo(before.Where(n => n.Version != TorchNativeLoader.MissingVersion).Select(n => n.Flags)));

            // Independent reader: binutils' readelf must report the entry as WEAK, and only that one changed.
            var readelfBefore = ReadElfVersions(ShimPath());
            var readelfAfter = ReadElfVersions(patchedPath);
            var changed = readelfBefore.Zip(readelfAfter).Where(p => p.First != p.Second).ToArray();
            Assert.That(changed, Has.Length.EqualTo(1), string.Join("\n", changed.Select(c => c.First + " => " + c.Second)));
            Assert.That(changed[0].Second, Does.Contain("GLIBCXX_3.4.32").And.Contain("WEAK"));

            // Second call reuses the cached copy.
            Assert.That(TorchNativeLoader.EnsurePatchedCopy(ShimPath(), cache), Is.EqualTo(patchedPath));
        }
        finally
        {
            if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
        }
    }

    [Test]
    public void SmallElfBuiltInTest_IsPatchedAndReadBackByReadelf()
    {
        var dir = Path.Combine(Path.GetTempPath(), "orz-elf-small-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var src = Path.Combine(dir, "tiny.c");
            var so = Path.Combine(dir, "libtiny.so");
            File.WriteAllText(src, "#include <string.h>\nvoid* tiny_copy(void* d, const void* s, size_t n) { return memcpy(d, s, n); }\n");
            var (code, output) = Run("gcc", $"-shared -fPIC -O1 -o {so} {src}");
            if (code < 0) Assert.Ignore("gcc not available to build a small ELF: " + output);
            Assert.That(code, Is.Zero, output);

            var bytes = File.ReadAllBytes(so);
            var needs = ElfVersionNeedPatcher.ReadVersionNeeds(bytes, so);
            Assert.That(needs, Is.Not.Empty);
            var target = needs[0].Version;
            Assert.That(ElfVersionNeedPatcher.MarkVersionWeak(bytes, target, so), Is.EqualTo(1));
            Assert.That(ElfVersionNeedPatcher.MarkVersionWeak(bytes, target, so), Is.Zero, "second patch is a no-op");
            var patched = Path.Combine(dir, "libtiny.patched.so");
            File.WriteAllBytes(patched, bytes);
            var lines = ReadElfVersions(patched);
            Assert.That(lines.Single(l => l.Contains("Name: " + target + " ")), Does.Contain("WEAK"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void RejectsFilesThatAreNotWhatIsExpected()
    {
        Assert.That(() => ElfVersionNeedPatcher.ReadVersionNeeds(new byte[10], "x.so"),
            Throws.TypeOf<ElfFormatException>().With.Message.Contains("x.so").And.Message.Contains("magic"));
        var elf32 = new byte[64];
        elf32[0] = 0x7f; elf32[1] = (byte)'E'; elf32[2] = (byte)'L'; elf32[3] = (byte)'F'; elf32[4] = 1; elf32[5] = 1;
        Assert.That(() => ElfVersionNeedPatcher.ReadVersionNeeds(elf32, "y.so"),
            Throws.TypeOf<ElfFormatException>().With.Message.Contains("64-bit"));
        var shim = File.ReadAllBytes(ShimPath());
        Assert.That(() => ElfVersionNeedPatcher.ReadVersionNeeds(shim.AsSpan(0, shim.Length / 2).ToArray(), "half.so"),
            Throws.TypeOf<ElfFormatException>().With.Message.Contains("half.so"));
        Assert.That(() => ElfVersionNeedPatcher.MarkVersionWeak(shim, "GLIBCXX_9.9.9", "shim"),
            Throws.TypeOf<ElfFormatException>().With.Message.Contains("GLIBCXX_9.9.9"));
    }

    private static string[] ReadElfVersions(string path)
    {
        var (code, output) = Run("readelf", $"-V -W {path}");
        if (code < 0) Assert.Ignore("readelf (binutils) not available as an independent ELF reader: " + output);
        Assert.That(code, Is.Zero, output);
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, l => l.Contains(".gnu.version_r"));
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "readelf printed no .gnu.version_r section");
        return lines.Skip(start).Where(l => l.Contains("Name:") && l.Contains("Flags:")).ToArray();
    }

    private static (int Code, string Output) Run(string exe, string args)
    {
        try
        {
            var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, stdout.Result + stderr);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
