using NUnit.Framework;
using OrzDynamic.Datasets.Loading;
using OrzDynamic.Datasets.Tests.TestSupport;
using OrzDynamic.Tests;

namespace OrzDynamic.Datasets.Tests.Loading;

/// <summary>Loading the Python tool's real evaluation files from shared/.</summary>
public class EvalDataLoaderRealFilesTests
{
    private static string Dir => SharedData.PathOrIgnore("data/eval_data");

    [Test]
    public void LoadsAllFourSharedFilesWithNamesIndicesAndChoices()
    {
        var set = new EvalDataLoader().Load([Dir]);
        var counts = set.Samples.GroupBy(s => s.DatasetName).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(counts, Is.EquivalentTo(new Dictionary<string, int>
        {
            ["aime2024"] = 30, ["math500"] = 500, ["gpqa_diamond"] = 198,
            ["eval_jericho_dataset_4games_1.4k_instruct_20251012"] = 1411,
        }));
        Assert.That(set.SkippedInvalidRecords, Is.Zero);
        Assert.That(set.SkippedLongPrompts, Is.Zero);
        var aime = set.Samples.Where(s => s.DatasetName == "aime2024").ToList();
        Assert.That(aime.Select(s => s.Index), Is.EqualTo(Enumerable.Range(0, 30)));
        Assert.That(aime[0].Answer, Is.EqualTo("73"));
        Assert.That(aime[0].Question, Does.StartWith("Among the $900$ residents of Aimeville"));
        var gpqa = set.Samples.Where(s => s.DatasetName == "gpqa_diamond").ToList();
        Assert.That(gpqa.All(s => s.Choices is { Count: 4 }), Is.True);
        Assert.That(gpqa[0].Choices!["A"], Is.EqualTo("d"));
        Assert.That(gpqa[0].Answer, Is.EqualTo("D"));
        var jericho = set.Samples.First(s => s.DatasetName.StartsWith("eval_jericho"));
        Assert.That(jericho.Answer, Is.EqualTo("north"));
        Assert.That(jericho.Choices, Is.Null);
        Assert.That(set.Samples.All(s => s.Prompt.EndsWith(s.Question + "\nAssistant: <think>")), Is.True);
    }

    [Test]
    public void MaxEvalSamplesIsASeededSubsetOverAllFiles()
    {
        var a = new EvalDataLoader().Load([Dir], new EvalDataOptions { MaxEvalSamples = 100, Seed = 7 });
        var b = new EvalDataLoader().Load([Dir], new EvalDataOptions { MaxEvalSamples = 100, Seed = 7 });
        var c = new EvalDataLoader().Load([Dir], new EvalDataOptions { MaxEvalSamples = 100, Seed = 8 });
        Assert.That(a.Samples, Has.Count.EqualTo(100));
        static List<(string, int)> Keys(EvalDataSet s) => s.Samples.Select(x => (x.DatasetName, x.Index)).ToList();
        Assert.That(Keys(a), Is.EqualTo(Keys(b)));
        Assert.That(Keys(a), Is.Not.EqualTo(Keys(c)));
        Assert.That(a.Samples.Select(s => s.DatasetName).Distinct().Count(), Is.GreaterThan(1), "drawn from several files");
        Assert.That(a.Files.Sum(f => f.Selected), Is.EqualTo(100));
    }

    [Test]
    public void DebugModeKeepsFirstTwoPerFile()
    {
        var set = new EvalDataLoader().Load([Dir], new EvalDataOptions { DebugMode = true });
        Assert.That(set.Samples, Has.Count.EqualTo(8));
        Assert.That(set.Samples.GroupBy(s => s.DatasetName).All(g => g.Select(s => s.Index).SequenceEqual([0, 1])), Is.True);
    }

    [Test]
    public void PromptMaxLenSkipsLongPromptsWithAWarningEach()
    {
        var logger = new ListLogger();
        var file = Path.Combine(Dir, "aime2024.json");
        var tokenizer = new WordTokenizer();
        var all = new EvalDataLoader().Load([file], new EvalDataOptions(), tokenizer);
        var counts = all.Samples.Select(s => s.PromptTokenCount!.Value).Order().ToList();
        int limit = counts[counts.Count / 2];
        int expectedSkipped = counts.Count(c => c > limit);
        var set = new EvalDataLoader(logger).Load([file], new EvalDataOptions { PromptMaxLen = limit }, tokenizer);
        Assert.That(set.SkippedLongPrompts, Is.EqualTo(expectedSkipped).And.GreaterThan(0));
        Assert.That(set.Samples, Has.Count.EqualTo(30 - expectedSkipped));
        Assert.That(set.Samples.All(s => s.PromptTokenCount <= limit), Is.True);
        Assert.That(logger.Warnings.Count(w => w.Contains("PromptMaxLen")), Is.EqualTo(expectedSkipped));
    }
}
