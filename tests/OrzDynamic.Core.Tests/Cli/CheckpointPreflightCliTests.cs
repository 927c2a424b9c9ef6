using System.Diagnostics;
using System.Runtime.InteropServices;
using NUnit.Framework;
using OrzDynamic.Core.Tests.Evaluation;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// Every checkpoint is checked before any model work, against the built CLI as a separate process: of three
/// checkpoints the third is broken in a way only its safetensors header or its config shows; the run fails within
/// 2 seconds with exit 2 and one line naming the third checkpoint, and no checkpoint was started.
/// </summary>
[TestFixture]
[NonParallelizable]
public class CheckpointPreflightCliTests : EvalFixtureCliTests
{
    /// <summary>A third checkpoint with the fixture's tokenizer, written by <paramref name="builder"/> and then <paramref name="spoil"/>.</summary>
    private string Third(string name, Func<int[], TinyCheckpointBuilder> builder, Action<string>? spoil = null)
    {
        var dir = Path.Combine(Fx.Root, "preflight", name, "iter20");
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(Fx.Checkpoints[0]).Where(f => Path.GetFileName(f).StartsWith("tokenizer", StringComparison.Ordinal)
                     || Path.GetFileName(f) == "generation_config.json"))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)), overwrite: true);
        builder([.. HfTokenizer.FromDirectory(dir).EosTokenIds]).Write(dir);
        spoil?.Invoke(dir);
        return dir;
    }

    private static void CorruptHeaderLength(string dir)
    {
        using var f = new FileStream(Path.Combine(dir, "model.safetensors"), FileMode.Open, FileAccess.Write);
        f.Write(BitConverter.GetBytes(long.MaxValue / 2));   // header length beyond the file
    }

    private static TinyCheckpointBuilder Ok(int vocab, int[] eos) => new() { VocabSize = vocab, EosTokenIds = eos, Seed = 7 };

    private void AssertRefusedFast(string name, string third, params string[] mustContain)
    {
        var outDir = Path.Combine(Fx.Root, "preflight-out", name);
        var cpuBefore = ChildrenCpu();
        var sw = Stopwatch.StartNew();
        var r = Cli.Run("--checkpoint_paths", Fx.Checkpoints[0], Fx.Checkpoints[1], third, "--data", Fx.DatasetA, "--output_dir", outDir,
            "--generate_max_len", "6", "--batch_size", "4");
        sw.Stop();
        var cpu = ChildrenCpu() - cpuBefore;
        TestContext.Out.WriteLine($"{name}: refused after {sw.ElapsedMilliseconds} ms wall, {cpu.TotalMilliseconds:0} ms CPU (whole process, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        var line = CliRunner.AssertRefused(r, [third, .. mustContain]);
        Assert.That(line, Does.Not.Contain(Fx.Checkpoints[0] + ":").And.Not.Contain(Fx.Checkpoints[1] + ":"), "only the third checkpoint is named");
        // The process's CPU time (user + system), which a loaded machine does not stretch the way it stretches wall time.
        Assert.That(cpu, Is.LessThan(TimeSpan.FromSeconds(2)), "refused before any model work");
        Assert.That(Directory.Exists(Path.Combine(outDir, "iter0")), Is.False, "no checkpoint was started");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSec, UserUsec, SysSec, SysUsec;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)] public long[] Rest;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);

    /// <summary>CPU time of every child process this process has waited for (RUSAGE_CHILDREN).</summary>
    private static TimeSpan ChildrenCpu()
    {
        Assert.That(getrusage(-1, out var u), Is.Zero, "getrusage");
        return TimeSpan.FromMicroseconds((u.UserSec + u.SysSec) * 1_000_000.0 + u.UserUsec + u.SysUsec);
    }

    [Test]
    public void ThirdCheckpoint_CorruptSafetensorsHeader_RefusedWithin2s_NamingIt()
    {
        var third = Third("header", eos => Ok(Fx.VocabSize, eos), CorruptHeaderLength);
        AssertRefusedFast("header", third, "model.safetensors", "header length");
    }

    [Test]
    public void ThirdCheckpoint_StoredShapeDiffersFromConfig_RefusedWithin2s_NamingIt()
    {
        var third = Third("shape", eos => new TinyCheckpointBuilder
        {
            VocabSize = Fx.VocabSize, EosTokenIds = eos, Seed = 7, Reshape = new Dictionary<string, long[]> { ["model.norm.weight"] = [31] },
        });
        AssertRefusedFast("shape", third, "model.norm.weight");
    }

    [Test]
    public void ThirdCheckpoint_VocabSizeBelowTokenizerIds_RefusedWithin2s_NamingIt()
    {
        var third = Third("vocab", eos => Ok(Fx.VocabSize - 8, eos));
        AssertRefusedFast("vocab", third, "vocab_size " + (Fx.VocabSize - 8));
    }

    [Test]
    public void NoCheckpointHasAChatTemplate_EveryCheckpointNamedInOneLine()
    {
        // The checkpoints of the fixture have no chat template: --prompt_template chat is refused for all three at once.
        var third = Third("chat", eos => Ok(Fx.VocabSize, eos));
        var outDir = Path.Combine(Fx.Root, "preflight-out", "chat");
        var r = Cli.Run("--checkpoint_paths", Fx.Checkpoints[0], Fx.Checkpoints[1], third, "--data", Fx.DatasetA, "--output_dir", outDir,
            "--prompt_template", "chat");
        var line = CliRunner.AssertRefused(r, "3 problems", Fx.Checkpoints[0], Fx.Checkpoints[1], third);
        Assert.That(line, Does.Contain("chat template"));
    }
}
