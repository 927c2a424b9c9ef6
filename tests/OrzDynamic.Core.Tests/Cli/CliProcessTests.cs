using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Evaluation;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>Runs the built CLI (samples/OrzDynamic.Cli) as a separate process and checks exit codes and outputs.</summary>
[TestFixture]
[NonParallelizable]
public class CliProcessTests : EvalFixtureCliTests
{
    private Process Start(params string[] args) => Cli.Start(args);

    private (int Code, string Out, string Err) Run(params string[] args) => Cli.Run(args);

    [Test]
    public void DeviceCudaOnCpuBuild_Exit2_NamesBackendProperty()
    {
        var (code, _, err) = Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", Fx.DatasetA, "--device", "cuda");
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.StartWith("error: ").And.Contain("-p:TorchBackend=cuda-linux").And.Contain("TorchSharp-cpu").And.Not.Contain("   at "));
    }

    [Test]
    public void BadFlagValue_Exit2_OneLineNoStackTrace()
    {
        var (code, _, err) = Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", Fx.DatasetA, "--top_k", "many");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.StartWith("error: ").And.Contain("--top_k").And.Not.Contain("   at "));
    }

    [Test]
    public void BadErrorBarsOrConfidenceLevel_Exit2()
    {
        var (code, _, err) = Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", Fx.DatasetA, "--error_bars", "sem");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--error_bars").And.Not.Contain("   at "));
        (code, _, err) = Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", Fx.DatasetA, "--confidence_level", "95");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("ConfidenceLevel").And.Not.Contain("   at "));
    }

    [Test]
    public void InvalidConfig_Exit2_ListsEveryProblem()
    {
        var (code, _, err) = Run("--checkpoint_paths", "/no/such/ckpt", "--data", Fx.DatasetA, "--top_p", "1.5", "--batch_size", "0");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("ModelPath '/no/such/ckpt' is not a directory").And.Contain("TopP").And.Contain("BatchSize").And.Not.Contain("   at "));
    }

    [Test]
    public void MissingData_Exit2()
    {
        var (code, _, err) = Run("--checkpoint_paths", Fx.Checkpoints[0]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--data"));
    }

    [Test]
    public void UnknownAnswerChecker_Exit2_ListsTheKnownCheckers()
    {
        var (code, _, err) = Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", Fx.DatasetA, "--answer_checker", "alpha=maths");
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.StartWith("error: ").And.Contain("'maths' for dataset 'alpha'").And.Contain("math, multiple_choice, orz, text_game")
            .And.Not.Contain("   at "));
        (code, _, err) = Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", Fx.DatasetA, "--answer_checker", "=math");
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.Contain("--answer_checker '=math'").And.Not.Contain("   at "));
        (code, _, err) = Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", Fx.DatasetA, "--answer_checker", "math", "text_game");
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.Contain("selects twice for all datasets"));
    }

    [Test]
    public void AnswerCheckerFlag_SelectsPerDatasetAndForAll_RecordedInTheManifest()
    {
        var outDir = Path.Combine(Fx.Root, "cli-checkers");
        var (code, stdout, err) = Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", Fx.DatasetA, Fx.DatasetB, "--output_dir", outDir,
            "--generate_max_len", "4", "--greedy", "--batch_size", "4", "--answer_checker", "alpha=text_game", "--answer_checker", "multiple_choice");
        Assert.That(code, Is.EqualTo(0), stdout + err);
        var manifest = File.ReadAllText(Path.Combine(outDir, "iter0", OutputLayout.Manifest));
        Assert.That(manifest, Does.Contain("\"answer_checkers\": \"*=multiple_choice, alpha=text_game\""));
        var log = File.ReadAllText(Directory.GetFiles(outDir, "eval_*.log").Single());
        Assert.That(log, Does.Contain("Dataset alpha: answer checker TextGameChecker").And.Contain("Dataset beta: answer checker MultipleChoiceChecker"));
    }

    [Test]
    public void MalformedDataFile_Exit2_NamesFileAndRecord()
    {
        var bad = Path.Combine(Fx.Root, "bad.json");
        File.WriteAllText(bad, """[{"prompt":[{"from":"user","value":"q"}],"final_answer":"1"},{"prompt":3}]""");
        var (code, _, err) = Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", bad, "--output_dir", Path.Combine(Fx.Root, "bad-out"));
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.Contain("bad.json").And.Not.Contain("   at "));
    }

    [Test]
    public void TwoCheckpoints_Exit0_WritesResultsAndTrends()
    {
        var outDir = Path.Combine(Fx.Root, "cli-ok");
        var (code, stdout, err) = Run("--checkpoint_paths", Fx.Checkpoints[0], Fx.Checkpoints[1], "--data", Fx.DatasetA, Fx.DatasetB,
            "--output_dir", outDir, "--generate_max_len", "8", "--greedy", "--batch_size", "4", "--error_bars", "ci");
        Assert.That(code, Is.EqualTo(0), stdout + err);
        Assert.That(File.Exists(Path.Combine(outDir, "comparisons.csv")) && File.Exists(Path.Combine(outDir, "comparisons.json")), Is.True);
        Assert.That(stdout, Does.Contain("Changes between checkpoints"));
        foreach (var ckpt in new[] { "iter0", "iter10" })
        {
            Assert.That(File.Exists(Path.Combine(outDir, ckpt, OutputLayout.Journal)), Is.True);
            Assert.That(File.Exists(Path.Combine(outDir, ckpt, OutputLayout.Summary)), Is.True);
        }
        Assert.That(File.Exists(Path.Combine(outDir, OutputLayout.TrendsCsv)), Is.True);
        Assert.That(Directory.GetFiles(outDir, "ld_trends_*.png"), Has.Length.EqualTo(2));
        Assert.That(Directory.GetFiles(outDir, "eval_*.log"), Has.Length.EqualTo(1));
        Assert.That(stdout, Does.Contain("alpha").And.Contain("ld_correct").And.Contain("summary"));
    }

    [Test]
    public void CtrlC_Exit130_JournalStaysValid()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/perl") || !File.Exists("/bin/kill"))
            Assert.Ignore("needs Linux with /bin/kill and /usr/bin/perl");
        var outDir = Path.Combine(Fx.Root, "cli-cancel");
        var many = Path.Combine(Fx.Root, "many.jsonl");
        File.WriteAllLines(many, Enumerable.Range(0, 300).Select(i => JsonSerializer.Serialize(new { prompt = $"What is {i} + 1?", answer = $"\\boxed{{{i + 1}}}" })));
        // The perl shim unblocks SIGINT and restores its default, then execs the CLI in its own process (same pid): a
        // test host may run with SIGINT blocked or ignored, and both survive fork and exec. The run itself (300 answers
        // of up to 3000 tokens, one at a time) takes minutes; SIGINT (a real Ctrl-C) is sent once the first answer is
        // journaled, so the run is caught mid-way whatever the machine's speed.
        var psi = new ProcessStartInfo("/usr/bin/perl") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Fx.Root };
        foreach (var a in new[] { "-e",
                     "use POSIX; sigprocmask(SIG_UNBLOCK, POSIX::SigSet->new(SIGINT)); $SIG{INT} = 'DEFAULT'; exec { 'dotnet' } 'dotnet', @ARGV or die \"exec dotnet: $!\"",
                     Cli.CliDll, "--checkpoint_paths", Fx.Checkpoints[0], "--data", many,
                     "--output_dir", outDir, "--generate_max_len", "3000", "--batch_size", "1" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var journal = Path.Combine(outDir, "iter0", OutputLayout.Journal);
        OutputEvents.WaitFor(p, outDir, () => OutputEvents.CompleteLines(journal) >= 1, "first line of " + journal, TimeSpan.FromMinutes(5), () => stdout.Result + stderr.Result);
        using (var kill = Process.Start("/bin/kill", ["-s", "INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
            Assert.That(kill.ExitCode, Is.Zero, "kill -s INT");
        }
        Assert.That(p.WaitForExit(TimeSpan.FromMinutes(3)), Is.True, "CLI did not stop after SIGINT");
        Assert.That(p.ExitCode, Is.EqualTo(130), stdout.Result + stderr.Result);
        Assert.That(stderr.Result, Does.Contain("Cancelling after the current sample"));
        var lines = File.ReadAllLines(journal);
        Assert.That(lines.Length, Is.InRange(1, 299), "the run was interrupted after its first answer");
        Assert.That(lines.All(l => JsonSerializer.Deserialize<SampleRecord>(l, ResultsJournal.LineOptions) is not null), Is.True);
    }
}
