using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Evaluation;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Datasets.Templates;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// Fault-injection tests of issue 14 against the built CLI as a separate process: each checks the exit code, the
/// one-line message and that no earlier result file changed.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ReliabilityCliTests : EvalFixtureCliTests
{
    private string Out(string name) => Path.Combine(Fx.Root, "rel", name);

    private string[] Args(string outDir, string checkpoint, params string[] extra) =>
        ["--checkpoint_paths", checkpoint, "--data", Fx.DatasetA, "--output_dir", outDir, "--generate_max_len", "6", "--batch_size", "4", .. extra];

    /// <summary>A checkpoint beside the fixture's, with the fixture's tokenizer and the given builder settings.</summary>
    private string Checkpoint(string name, Func<int[], TinyCheckpointBuilder> builder)
    {
        var dir = Path.Combine(Fx.Root, "special", name, "iter5");
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(Fx.Checkpoints[0]).Where(f => Path.GetFileName(f).StartsWith("tokenizer", StringComparison.Ordinal)
                     || Path.GetFileName(f) == "generation_config.json"))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)), overwrite: true);
        var eos = HfTokenizer.FromDirectory(dir).EosTokenIds.ToArray();
        builder(eos).Write(dir);
        return dir;
    }

    private static List<SampleRecord> Journal(string dir) =>
        File.ReadAllLines(Path.Combine(dir, OutputLayout.Journal)).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<SampleRecord>(l, ResultsJournal.LineOptions)!).ToList();

    private static JsonObject Summary(string dir) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(dir, OutputLayout.Summary)))!["results"]!.AsObject();

    private int LongestFixturePrompt()
    {
        var tok = HfTokenizer.FromDirectory(Fx.Checkpoints[0]);
        return new Datasets.Loading.EvalDataLoader().Load([Fx.DatasetA, Fx.DatasetB], new Datasets.Loading.EvalDataOptions(), tok)
            .Samples.Max(s => tok.Encode(PromptTemplate.Orz.Render(s.Question, tok.BosToken)).Count);
    }

    // (1) NaN/inf logits while sampling: the sample is invalid with a warning, as in greedy mode; no crash.
    [Test]
    public void Case01_NanLogitsWhileSampling_SampleInvalidWithWarning()
    {
        var ckpt = Checkpoint("nan", eos => new TinyCheckpointBuilder { VocabSize = Fx.VocabSize, EosTokenIds = eos, NanTensors = ["model.norm.weight"] });
        var outDir = Out("nan");
        var r = Cli.Run(Args(outDir, ckpt, "--temperature", "0.7", "--top_p", "0.9"));
        Assert.That(r.Code, Is.EqualTo(0), r.Out + r.Err);
        Assert.That(r.Err + r.Out, Does.Not.Contain("   at "));
        var records = Journal(Path.Combine(outDir, "iter5"));
        Assert.That(records, Has.Count.EqualTo(4));
        Assert.That(records.All(x => x.InvalidReason is not null && x.InvalidReason.Contains("non-finite", StringComparison.Ordinal)), Is.True);
        Assert.That(CliRunner.Logs(outDir), Does.Contain("Non-finite logits"));
        Assert.That((double)Summary(Path.Combine(outDir, "iter5"))["alpha/invalid"]!, Is.EqualTo(4));
    }

    // (2)(3) huge --generate_max_len: capped at the model's positions with a warning, never allocated up front, no overflow.
    [TestCase("1000000000")]
    [TestCase("2147483647")]
    public void Case02_03_HugeGenerateMaxLen_CappedAtContextWithWarning(string maxLen)
    {
        int positions = LongestFixturePrompt() + 8;
        var ckpt = Checkpoint("ctx" + positions, eos => new TinyCheckpointBuilder { VocabSize = Fx.VocabSize, EosTokenIds = eos, MaxPositionEmbeddings = positions });
        var outDir = Out("huge" + maxLen);
        var args = Args(outDir, ckpt).ToList();
        args[args.IndexOf("--generate_max_len") + 1] = maxLen;
        var r = Cli.Run([.. args, "--data", Fx.DatasetB]);
        Assert.That(r.Code, Is.EqualTo(0), r.Out + r.Err);
        var logs = CliRunner.Logs(outDir);
        Assert.That(logs, Does.Contain($"GenerateMaxLen {maxLen} exceeds the model's {positions} positions: capped at {positions - 1}"));
        var records = Journal(Path.Combine(outDir, "iter5"));
        Assert.That(records, Is.Not.Empty);
        Assert.That(records.All(x => x.PromptTokens + x.TokenIds.Count <= positions), Is.True, "never beyond max_position_embeddings");
        Assert.That(records.Any(x => x.FinishReason == FinishReasons.ContextLimit), Is.True);
        var summary = Summary(Path.Combine(outDir, "iter5"));
        Assert.That((double)summary["alpha/context_limited"]! + (double)summary["beta/context_limited"]!,
            Is.EqualTo(records.Count(x => x.FinishReason == FinishReasons.ContextLimit)));
    }

    // (2) a KV cache that cannot fit into memory is refused before anything is allocated; earlier results unchanged.
    [Test]
    public void Case02_KvCacheBeyondMemory_Exit2_EarlierResultsUnchanged()
    {
        var ckpt = Checkpoint("hugectx", eos => new TinyCheckpointBuilder { VocabSize = Fx.VocabSize, EosTokenIds = eos, MaxPositionEmbeddings = int.MaxValue });
        var outDir = Out("kv");
        Assert.That(Cli.Run(Args(outDir, ckpt)).Code, Is.EqualTo(0));
        var before = CliRunner.Snapshot(outDir);
        var args = Args(outDir, ckpt).ToList();
        args[args.IndexOf("--generate_max_len") + 1] = "2147483647";
        CliRunner.AssertRefused(Cli.Run([.. args]), "KV cache", "GiB", "lower --generate_max_len or --batch_size");
        Assert.That(CliRunner.Snapshot(outDir), Is.EqualTo(before));
    }

    // (4) --output_dir is a file or a device, or <out>/<checkpoint> is a file.
    [Test]
    public void Case04_OutputDirIsAFile_Exit2()
    {
        CliRunner.AssertRefused(Cli.Run(Args("/dev/null", Fx.Checkpoints[0])), "/dev/null", "is an existing file (or device)");
        var file = Out("plainfile");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "keep me");
        CliRunner.AssertRefused(Cli.Run(Args(file, Fx.Checkpoints[0])), file, "is an existing file");
        CliRunner.AssertRefused(Cli.Run(Args(Path.Combine(file, "sub"), Fx.Checkpoints[0])), file, "is a file");
        Assert.That(File.ReadAllText(file), Is.EqualTo("keep me"));

        var outDir = Out("ckptfile");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "iter0"), "not a directory");
        var before = CliRunner.Snapshot(outDir);
        CliRunner.AssertRefused(Cli.Run(Args(outDir, Fx.Checkpoints[0])), Path.Combine(outDir, "iter0"), "is an existing file");
        Assert.That(CliRunner.Snapshot(outDir), Is.EqualTo(before));
    }

    // (5) results.jsonl is a directory.
    [Test]
    public void Case05_JournalIsADirectory_Exit2()
    {
        var outDir = Out("journaldir");
        Directory.CreateDirectory(Path.Combine(outDir, "iter0", OutputLayout.Journal));
        var before = CliRunner.Snapshot(outDir);
        CliRunner.AssertRefused(Cli.Run(Args(outDir, Fx.Checkpoints[0])), OutputLayout.Journal, "is a directory");
        Assert.That(CliRunner.Snapshot(outDir), Is.EqualTo(before));
        Assert.That(File.Exists(Path.Combine(outDir, "iter0", OutputLayout.Manifest)), Is.False);
    }

    // The journal is not a regular file: a symbolic link (to /dev/null or to a regular file) or a FIFO. Each would
    // lose the resumable record (or block forever), so the run is refused at open, before any model work.
    [TestCase("symlink-devnull")]
    [TestCase("symlink-file")]
    [TestCase("fifo")]
    public void Case05b_JournalIsNotARegularFile_Exit2_FilesUnchanged(string kind)
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("symbolic links to /dev/null and mkfifo(1) are Linux here");
        var outDir = Out("journal-" + kind);
        var ckDir = Path.Combine(outDir, "iter0");
        Directory.CreateDirectory(ckDir);
        var journal = Path.Combine(ckDir, OutputLayout.Journal);
        string what;
        switch (kind)
        {
            case "symlink-devnull":
                File.CreateSymbolicLink(journal, "/dev/null");
                what = "is a symbolic link to /dev/null, not a regular file";
                break;
            case "symlink-file":
                var target = Path.Combine(outDir, "elsewhere.jsonl");
                File.WriteAllText(target, "");
                File.CreateSymbolicLink(journal, target);
                what = $"is a symbolic link to {target}, not a regular file";
                break;
            default:
                using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [journal])) mkfifo.WaitForExit();
                Assert.That(File.Exists(journal), Is.True, "mkfifo made the FIFO");
                what = "is a FIFO, socket or device, not a regular file";
                break;
        }
        var line = CliRunner.AssertRefused(Cli.Run(Args(outDir, Fx.Checkpoints[0])), journal, what, "a journal must be a regular file");
        TestContext.Out.WriteLine(line);
        Assert.That(File.Exists(Path.Combine(ckDir, OutputLayout.Summary)), Is.False, "no results were written");
        if (kind != "fifo") Assert.That(File.ResolveLinkTarget(journal, false), Is.Not.Null, "the link is left as it was");
    }

    // Small ones: --data naming a directory; a misspelt flag first (one error line); a misspelt flag after --data
    // (an unknown option, not a data file name).
    [Test]
    public void Case05c_DataDirectory_MisspeltFlags_OneLine()
    {
        var dataDir = Path.GetDirectoryName(Fx.DatasetA)!;
        CliRunner.AssertRefused(Cli.Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", dataDir, "--output_dir", Out("datadir")),
            $"'{dataDir}' is a directory; name the data files in it");
        Assert.That(Directory.Exists(Out("datadir")), Is.False);

        var first = CliRunner.AssertRefused(Cli.Run("--checkpoint_pathz", Fx.Checkpoints[0], "--data", Fx.DatasetA), "--checkpoint_pathz");
        TestContext.Out.WriteLine(first);

        var after = CliRunner.AssertRefused(Cli.Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", Fx.DatasetA, "--output_dri", Out("typo")),
            "unknown option '--output_dri' (after --data)");
        TestContext.Out.WriteLine(after);
        Assert.That(Directory.Exists(Out("typo")), Is.False);
    }

    // (6) disk full while writing results.jsonl: exit 2 with the message, the journal stays valid, resume completes.
    [Test]
    public void Case06_DiskFull_Exit2_JournalValid_ResumesAfterFreeingSpace()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/bin/mount"))
            Assert.Ignore("needs root on Linux to mount a small tmpfs");
        var mount = Path.Combine(Fx.Root, "tiny-fs");
        Directory.CreateDirectory(mount);
        if (Sh("/bin/mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", mount) != 0) Assert.Ignore("mount -t tmpfs failed (no CAP_SYS_ADMIN)");
        try
        {
            var many = Path.Combine(Fx.Root, "many60.jsonl");
            File.WriteAllLines(many, Enumerable.Range(0, 60).Select(i => JsonSerializer.Serialize(new { prompt = $"What is {i} + 1?", answer = $"\\boxed{{{i + 1}}}" })));
            string[] args = ["--checkpoint_paths", Fx.Checkpoints[0], "--data", many, "--output_dir", mount, "--generate_max_len", "4", "--batch_size", "8", "--greedy"];
            var r = Cli.Run(args);
            Assert.That(r.Code, Is.EqualTo(2), r.Out + r.Err);
            var error = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToArray();
            Assert.That(error, Has.Length.EqualTo(1), r.Err);
            Assert.That(error[0], Does.Contain("No space left on device"));
            Assert.That(r.Err + r.Out, Does.Not.Contain("   at "));
            var dir = Path.Combine(mount, "iter0");
            var lines = File.ReadAllText(Path.Combine(dir, OutputLayout.Journal));
            Assert.That(lines.Length == 0 || lines.EndsWith('\n'), Is.True, "no torn line left behind");
            var partial = Journal(dir);
            Assert.That(partial.Count, Is.InRange(1, 59), "some samples were journaled before the disk filled up");
            Assert.That(partial.Select(x => x.Index).Distinct().Count(), Is.EqualTo(partial.Count));

            Assert.That(Sh("/bin/mount", "-o", "remount,size=16m", mount), Is.EqualTo(0));
            var resumed = Cli.Run(args);
            Assert.That(resumed.Code, Is.EqualTo(0), resumed.Out + resumed.Err);
            var all = Journal(dir);
            Assert.That(all.Select(x => x.Index).Order(), Is.EqualTo(Enumerable.Range(0, 60)));
            foreach (var p in partial) Assert.That(all.Single(x => x.Index == p.Index).TokenIds, Is.EqualTo(p.TokenIds));
            Assert.That(Directory.GetFiles(dir, "*.tmp"), Is.Empty);
        }
        finally
        {
            Sh("/bin/umount", mount);
        }
    }

    private static int Sh(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.WaitForExit();
        return p.ExitCode;
    }

    // (7) prompt + answer beyond max_position_embeddings: too-long prompts skipped and counted, answers capped per sample.
    [Test]
    public void Case07_PromptBeyondContext_SkippedAndCounted_AnswersCappedPerSample()
    {
        var tok = HfTokenizer.FromDirectory(Fx.Checkpoints[0]);
        var shortPrompt = tok.Encode(PromptTemplate.Orz.Render("What is 2 + 3?", tok.BosToken)).Count;
        int positions = shortPrompt + 6;
        var data = Path.Combine(Fx.Root, "ctxdata.jsonl");
        File.WriteAllLines(data, new[] { "What is 2 + 3?", "What is 1 + 1?", string.Join(" ", Enumerable.Repeat("a very long question", 40)) }
            .Select(q => JsonSerializer.Serialize(new { prompt = q, answer = "\\boxed{2}" })));
        var ckpt = Checkpoint("ctx7", eos => new TinyCheckpointBuilder { VocabSize = Fx.VocabSize, EosTokenIds = eos, MaxPositionEmbeddings = positions });
        var outDir = Out("ctx7");
        var custom = Path.Combine(Fx.Root, "ctxcustom.jsonl");
        File.WriteAllLines(custom, new[] { ("What is 2 + 3?", " 5"), ("What is 2 + 3?", string.Join(" ", Enumerable.Repeat("far too long", 400))) }
            .Select(x => JsonSerializer.Serialize(new { prompt = x.Item1, response = x.Item2 })));
        var r = Cli.Run("--checkpoint_paths", ckpt, "--data", data, "--custom_sentence", custom, "--output_dir", outDir, "--generate_max_len", "50", "--greedy");
        Assert.That(r.Code, Is.EqualTo(0), r.Out + r.Err);
        var dir = Path.Combine(outDir, "iter5");
        var records = Journal(dir);
        Assert.That(records.Select(x => x.Index).Order(), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(records.All(x => x.PromptTokens + x.TokenIds.Count <= positions), Is.True);
        Assert.That(records.Where(x => x.FinishReason != FinishReasons.Eos).All(x => x.FinishReason == FinishReasons.ContextLimit), Is.True);
        var summary = Summary(dir);
        Assert.That((double)summary["ctxdata/skipped_too_long"]!, Is.EqualTo(1));
        Assert.That((double)summary["ctxdata/context_limited"]!, Is.EqualTo(records.Count(x => x.FinishReason == FinishReasons.ContextLimit)));
        Assert.That(CliRunner.Logs(outDir), Does.Contain("prompt has").And.Contain("more than PromptMaxLen " + (positions - 1)));
        // Custom sentences are never scored beyond the model's positions either: skipped with a warning and a reason.
        var customLines = File.ReadAllLines(Path.Combine(dir, OutputLayout.CustomSentences("ctxcustom"))).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.That(customLines, Has.Length.EqualTo(2));
        Assert.That(customLines[0]["ld_metrics"], Is.Not.Null);
        Assert.That((string?)customLines[1]["skipped_reason"], Does.Contain($"more than the model's {positions} positions"));
        Assert.That((double)summary["custom_sentence_ctxcustom/count"]!, Is.EqualTo(1));
    }

    // (8) invalid UTF-8: refused naming file and byte offset; --allow_invalid_utf8 replaces with a warning.
    [Test]
    public void Case08_InvalidUtf8_RefusedWithOffset_FlagReplacesWithWarning()
    {
        var data = Path.Combine(Fx.Root, "badutf8.jsonl");
        var head = Encoding.UTF8.GetBytes("{\"prompt\": \"What is 2 + 3?\", \"answer\": \"\\\\boxed{5}\"}\n{\"prompt\": \"caf");
        var bytes = head.Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\", \"answer\": \"\\\\boxed{1}\"}\n")).ToArray();
        File.WriteAllBytes(data, bytes);
        var outDir = Out("utf8");
        CliRunner.AssertRefused(Cli.Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", data, "--output_dir", outDir, "--generate_max_len", "4"),
            "badutf8.jsonl", $"invalid UTF-8 at byte offset {head.Length}", "--allow_invalid_utf8");
        Assert.That(Directory.Exists(Path.Combine(outDir, "iter0")), Is.False, "refused before any model work");

        var custom = Path.Combine(Fx.Root, "badutf8_custom.jsonl");
        File.WriteAllBytes(custom, Encoding.UTF8.GetBytes("{\"prompt\": \"a\", \"response\": \"b").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\"}\n")).ToArray());
        CliRunner.AssertRefused(Cli.Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", Fx.DatasetA, "--custom_sentence", custom, "--output_dir", outDir),
            "badutf8_custom.jsonl", "invalid UTF-8 at byte offset 30");

        var r = Cli.Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", data, "--output_dir", outDir, "--generate_max_len", "4", "--allow_invalid_utf8", "--greedy");
        Assert.That(r.Code, Is.EqualTo(0), r.Out + r.Err);
        Assert.That(CliRunner.Logs(outDir), Does.Contain($"1 invalid UTF-8 sequence(s) replaced with U+FFFD (first at byte offset {head.Length}, line 2)"));
        Assert.That(Journal(Path.Combine(outDir, "iter0")).Single(x => x.Index == 1).Prompt, Does.Contain("caf\uFFFD("));
    }

    // (9) an empty (or torn) run_manifest.json with no results beside it is rewritten; the manifest is written atomically.
    [TestCase("")]
    [TestCase("{\"batch_size\": \"4\", \"data_fi")]
    public void Case09_EmptyOrTornManifestWithoutResults_Rewritten(string content)
    {
        var outDir = Out("manifest" + content.Length);
        var dir = Path.Combine(outDir, "iter0");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, OutputLayout.Manifest), content);
        var r = Cli.Run(Args(outDir, Fx.Checkpoints[0], "--greedy"));
        Assert.That(r.Code, Is.EqualTo(0), r.Out + r.Err);
        var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(dir, OutputLayout.Manifest)))!;
        Assert.That(manifest["generate_max_len"], Is.EqualTo("6"));
        Assert.That(Directory.GetFiles(dir, "*.tmp"), Is.Empty);
        Assert.That(CliRunner.Logs(outDir), Does.Contain("no results beside it; writing it anew"));

        // Beside results, an unreadable manifest is refused (the results' settings are unknown) and nothing changes.
        File.WriteAllText(Path.Combine(dir, OutputLayout.Manifest), content);
        var before = CliRunner.Snapshot(outDir);
        CliRunner.AssertRefused(Cli.Run(Args(outDir, Fx.Checkpoints[0], "--greedy")), OutputLayout.Manifest, "unreadable run manifest");
        Assert.That(CliRunner.Snapshot(outDir), Is.EqualTo(before));
    }

    // (10) another selection on an existing directory is refused with the list of differences; results unchanged.
    [Test]
    public void Case10_ChangedSelection_RefusedWithDifferences_ResultsUnchanged()
    {
        var outDir = Out("selection");
        var first = Cli.Run(Args(outDir, Fx.Checkpoints[0], "--greedy", "--max_eval_samples", "3"));
        Assert.That(first.Code, Is.EqualTo(0), first.Out + first.Err);
        var before = CliRunner.Snapshot(outDir);
        CliRunner.AssertRefused(Cli.Run(Args(outDir, Fx.Checkpoints[0], "--greedy", "--max_eval_samples", "2")),
            "different settings or another sample selection", "max_eval_samples: '3' before, '2' now");
        CliRunner.AssertRefused(Cli.Run([.. Args(outDir, Fx.Checkpoints[0], "--greedy", "--max_eval_samples", "3"), "--data", Fx.DatasetB]),
            "data_files: 'alpha.json' before, 'alpha.json, beta.jsonl' now");
        var edited = Path.Combine(Fx.Root, "edited", "alpha.json");
        Directory.CreateDirectory(Path.GetDirectoryName(edited)!);
        File.WriteAllText(edited, File.ReadAllText(Fx.DatasetA).Replace("Compute 7 times 6.", "Compute 7 times 8.", StringComparison.Ordinal));
        Assert.That(File.ReadAllText(edited), Is.Not.EqualTo(File.ReadAllText(Fx.DatasetA)));
        var editedArgs = Args(outDir, Fx.Checkpoints[0], "--greedy", "--max_eval_samples", "3");
        editedArgs[Array.IndexOf(editedArgs, Fx.DatasetA)] = edited;
        CliRunner.AssertRefused(Cli.Run(editedArgs), "data_sha256:");
        Assert.That(CliRunner.Snapshot(outDir), Is.EqualTo(before));
        // The same selection resumes (nothing to do) and leaves the results as they were.
        Assert.That(Cli.Run(Args(outDir, Fx.Checkpoints[0], "--greedy", "--max_eval_samples", "3")).Code, Is.EqualTo(0));
        var journal = Path.Combine("iter0", OutputLayout.Journal);
        Assert.That(CliRunner.Snapshot(outDir)[journal], Is.EqualTo(before[journal]));
    }

    // (11) a failed run that left no results does not block a corrected rerun with other settings.
    [Test]
    public void Case11_FailedRunWithoutResults_DoesNotBlockCorrectedRerun()
    {
        var outDir = Out("corrected");
        var bad = Path.Combine(Fx.Root, "bad11.json");
        File.WriteAllText(bad, """[{"prompt":[{"from":"user","value":"q"}],"final_answer":"1"},{"prompt":3}]""");
        CliRunner.AssertRefused(Cli.Run("--checkpoint_paths", Fx.Checkpoints[0], "--data", bad, "--output_dir", outDir), "bad11.json", "record 1");
        // A manifest of another run without results (e.g. one killed before its first sample) is replaced, too.
        var dir = Path.Combine(outDir, "iter0");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, OutputLayout.Manifest), """{"generate_max_len": "99", "seed": "1"}""");
        var r = Cli.Run(Args(outDir, Fx.Checkpoints[0], "--greedy", "--seed", "5"));
        Assert.That(r.Code, Is.EqualTo(0), r.Out + r.Err);
        Assert.That(Journal(dir), Has.Count.EqualTo(4));
        Assert.That(CliRunner.Logs(outDir), Does.Contain("replacing the manifest of an earlier run that left no results"));
    }

    // (12) charts do not pile up: one stable name per chart, replaced on every rerun.
    [Test]
    public void Case12_RerunsDoNotPileUpCharts()
    {
        var outDir = Out("charts");
        string[] args = ["--checkpoint_paths", Fx.Checkpoints[0], Fx.Checkpoints[1], "--data", Fx.DatasetA, "--output_dir", outDir, "--generate_max_len", "4", "--greedy"];
        Assert.That(Cli.Run(args).Code, Is.EqualTo(0));
        var pngs = Directory.GetFiles(outDir, "*.png", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(outDir, p)).Order().ToArray();
        Assert.That(pngs, Is.EqualTo(new[] { "iter0/ld_comparison_alpha.png", "iter10/ld_comparison_alpha.png", "ld_trends_alpha.png" }));
        Thread.Sleep(1100);   // a timestamped name would differ now
        Assert.That(Cli.Run(args).Code, Is.EqualTo(0));
        Assert.That(Cli.Run(args).Code, Is.EqualTo(0));
        Assert.That(Directory.GetFiles(outDir, "*.png", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(outDir, p)).Order(), Is.EqualTo(pngs));
    }

    // (13) every input file (custom sentences too) is validated before any model work.
    [TestCase("""[{"prompt": "q", "response": ""}]""", "field 'response': empty")]
    [TestCase("this is not json", "not valid JSON")]
    public void Case13_BadCustomSentenceFile_RefusedBeforeAnyModelWork(string content, string message)
    {
        var custom = Path.Combine(Fx.Root, $"custom13_{content.Length}.json");
        File.WriteAllText(custom, content);
        var outDir = Out("custom13_" + content.Length);
        CliRunner.AssertRefused(Cli.Run(["--checkpoint_paths", Fx.Checkpoints[0], Fx.Checkpoints[1], "--data", Fx.DatasetA, "--custom_sentence", custom,
            "--output_dir", outDir, "--generate_max_len", "3000"]), Path.GetFileName(custom), message);
        // The observable sign that no model work began (rather than a wall-clock limit): no checkpoint folder exists.
        Assert.That(Directory.Exists(Path.Combine(outDir, "iter0")), Is.False, "no checkpoint was started");
    }

    // (13) a broken tokenizer or config.json of a later checkpoint is found before the first checkpoint starts.
    [Test]
    public void Case13_BrokenLaterCheckpoint_RefusedBeforeTheFirstStarts()
    {
        var broken = Path.Combine(Fx.Root, "special", "broken", "iter20");
        Directory.CreateDirectory(broken);
        foreach (var f in Directory.GetFiles(Fx.Checkpoints[1])) File.Copy(f, Path.Combine(broken, Path.GetFileName(f)), overwrite: true);
        File.WriteAllText(Path.Combine(broken, "tokenizer.json"), "{ not json");
        var outDir = Out("broken13");
        CliRunner.AssertRefused(Cli.Run("--checkpoint_paths", Fx.Checkpoints[0], broken, "--data", Fx.DatasetA, "--output_dir", outDir, "--generate_max_len", "3000"),
            "tokenizer.json");
        Assert.That(Directory.Exists(Path.Combine(outDir, "iter0")), Is.False, "no checkpoint was started");
    }

    // (14) ids of the model's padded vocabulary decode as empty text, are counted in the record and the summary, and scored.
    [Test]
    public void Case14_PaddedVocabularyIds_DecodeEmpty_CountedAndScored()
    {
        int modelVocab = Fx.VocabSize + 3000;
        var ckpt = Checkpoint("padded", eos => new TinyCheckpointBuilder { VocabSize = modelVocab, EosTokenIds = eos, WeightScale = 0.02 });
        var outDir = Out("padded");
        var r = Cli.Run("--checkpoint_paths", ckpt, "--data", Fx.DatasetA, Fx.DatasetB, "--output_dir", outDir, "--generate_max_len", "12", "--temperature", "1.0");
        Assert.That(r.Code, Is.EqualTo(0), r.Out + r.Err);
        var dir = Path.Combine(outDir, "iter5");
        var records = Journal(dir);
        var tok = HfTokenizer.FromDirectory(ckpt);
        Assert.That(records, Has.Count.EqualTo(7), "alpha's 4 and beta's 3 samples");
        foreach (var x in records)
        {
            int beyond = x.TokenIds.Count(id => id >= tok.VocabSize);
            Assert.That(x.PaddedVocabTokens ?? 0, Is.EqualTo(beyond), $"{x.Dataset}#{x.Index}");
            Assert.That(x.LdMetrics, Is.Not.Null);
            Assert.That(x.LdMetrics!.ValidTokens, Is.GreaterThan(0), "scored normally");
        }
        int total = records.Sum(x => x.PaddedVocabTokens ?? 0);
        Assert.That(total, Is.GreaterThan(0), "the test must actually sample padded ids");
        var summary = Summary(dir);
        Assert.That((double)summary["alpha/padded_vocab_tokens"]! + (double)summary["beta/padded_vocab_tokens"]!, Is.EqualTo(total));
        Assert.That(CliRunner.Logs(outDir), Does.Contain("beyond the tokenizer (the model's padded vocabulary) decoded as empty text"));
    }
}
