using NUnit.Framework;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Trainer;

namespace OrzDynamic.Core.Tests.Demo;

/// <summary>
/// The committed demo files are reproducible from the trainer's seed. CI runs a short variant (the full settings with
/// 3 optimiser steps, twice): the untrained iter0 checkpoint, tokenizer, eval data and custom sentences must equal the
/// committed files byte for byte, and the two short runs must agree bit-exactly. The full retraining (minutes) is an
/// explicit test.
/// </summary>
[TestFixture]
public sealed class DemoReproducibilityTests
{
    private static readonly string[] CheckpointFiles =
        ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"];

    [Test]
    public void ShortRun_IsBitIdenticalTwice_AndReproducesCommittedIter0AndData()
    {
        var settings = new DemoTrainingSettings();
        settings = settings with { MiddleStep = 0, Optimizer = settings.Optimizer with { Steps = 3 } };
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        var ra = new DemoTrainer(settings).Run(a.Path);
        new DemoTrainer(settings).Run(b.Path);
        Assert.That(ra.CheckpointDirectories.Select(Path.GetFileName), Is.EqualTo(new[] { "iter0", "iter3" }));
        Assert.That(ra.History[^1].Loss, Is.LessThan(ra.History[0].Loss));

        foreach (var file in CheckpointFiles)
        {
            AssertSameBytes(Path.Combine(a.Path, "demo-checkpoints", "iter3", file), Path.Combine(b.Path, "demo-checkpoints", "iter3", file));
            AssertSameBytes(Path.Combine(DemoPaths.Checkpoints, "iter0", file), Path.Combine(a.Path, "demo-checkpoints", "iter0", file));
        }
        AssertSameBytes(DemoPaths.EvalData, Path.Combine(a.Path, DemoTrainer.DataFolder, DemoTrainer.EvalFileName));
        AssertSameBytes(DemoPaths.CustomSentences, Path.Combine(a.Path, DemoTrainer.CustomFolder, DemoTrainer.CustomFileName));
    }

    [Test]
    [Explicit("Retrains the demo model with the committed settings (several minutes on 2 cores).")]
    public void FullRetrain_ReproducesEveryCommittedCheckpoint()
    {
        using var dir = new TempDirectory();
        var result = new DemoTrainer(new DemoTrainingSettings()).Run(dir.Path);
        var committed = DemoPaths.CheckpointDirectories;
        Assert.That(committed.Select(c => c.Step), Is.EqualTo(new[] { 0, 1200, 2200 }));
        Assert.That(result.CheckpointDirectories.Select(Path.GetFileName), Is.EqualTo(committed.Select(c => Path.GetFileName(c.Path))));
        foreach (var (_, path) in committed)
            foreach (var file in CheckpointFiles)
                AssertSameBytes(Path.Combine(path, file), Path.Combine(dir.Path, "demo-checkpoints", Path.GetFileName(path), file));
    }

    private static void AssertSameBytes(string expected, string actual)
    {
        Assert.That(File.Exists(actual), Is.True, actual);
        Assert.That(File.ReadAllBytes(actual).AsSpan().SequenceEqual(File.ReadAllBytes(expected)), Is.True, $"{actual} differs from {expected}");
    }
}
