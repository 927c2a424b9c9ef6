using OrzDynamic.Metrics;
using NUnit.Framework;
using OrzDynamic.Core.Results;

namespace OrzDynamic.Core.Tests.Results;

[TestFixture]
public class ResultsJournalTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("orz-journal-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static SampleRecord Sample(string ds, int i, bool correct = true) => new()
    {
        Dataset = ds, Index = i, Checkpoint = "iter0", Prompt = "p" + i, Output = "o\n\"é\"", IsCorrect = correct,
        TokenIds = [1, 2, 3],
        LdMetrics = new LdMetrics { OutToken = -1.5, ANorm = double.NaN, ValidTokens = 3 },
    };

    [Test]
    public void AppendedSamplesAreOnDiskAndReadBack()
    {
        var path = Path.Combine(_dir, "results.jsonl");
        using (var j = ResultsJournal.Open(path))
        {
            j.Append(Sample("a", 0));
            j.Append(Sample("a", 1, false));
            // Readable by another reader while still open: the line is flushed.
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var sr = new StreamReader(fs);
            Assert.That(sr.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
        }
        using var again = ResultsJournal.Open(path);
        Assert.That(again.Records, Has.Count.EqualTo(2));
        Assert.That(again.Contains("a", 1), Is.True);
        var r = again.Records.Single(x => x.Index == 0);
        Assert.That(r.Output, Is.EqualTo("o\n\"é\""));
        Assert.That(double.IsNaN(r.LdMetrics!.ANorm), Is.True);
        Assert.That(r.TokenIds, Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public void TornLastLineIsDroppedAndCanBeRewritten()
    {
        var path = Path.Combine(_dir, "results.jsonl");
        using (var j = ResultsJournal.Open(path))
        {
            j.Append(Sample("a", 0));
            j.Append(Sample("a", 1));
        }
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 20)]);
        using (var j = ResultsJournal.Open(path))
        {
            Assert.That(j.Records.Select(r => r.Index), Is.EqualTo(new[] { 0 }));
            j.Append(Sample("a", 1));
        }
        var lines = File.ReadAllLines(path);
        Assert.That(lines, Has.Length.EqualTo(2));
        using var final = ResultsJournal.Open(path);
        Assert.That(final.Records.Select(r => r.Index), Is.EquivalentTo(new[] { 0, 1 }));
    }

    [Test]
    public void CorruptCompleteLineNamesFileAndLine()
    {
        var path = Path.Combine(_dir, "results.jsonl");
        File.WriteAllText(path, "{\"dataset\":\"a\",\"index\":0}\n{not json}\n");
        Assert.That(() => ResultsJournal.Open(path),
            Throws.TypeOf<ResultsFileException>().With.Message.Contains("results.jsonl, line 2"));
    }

    [Test]
    public void DuplicateAppendIsRefused()
    {
        using var j = ResultsJournal.Open(Path.Combine(_dir, "r.jsonl"));
        j.Append(Sample("a", 0));
        Assert.That(() => j.Append(Sample("a", 0)), Throws.InvalidOperationException);
    }

    [Test]
    public void ManifestMismatchListsEveryDifference()
    {
        new RunManifest().With("temperature", 1.0).With("seed", 42).WriteOrVerify(_dir);
        Assert.That(() => new RunManifest().With("temperature", 1.0).With("seed", 42).WriteOrVerify(_dir), Throws.Nothing);
        Assert.That(() => new RunManifest().With("temperature", 0.5).With("seed", 42).With("dtype", "float32").WriteOrVerify(_dir),
            Throws.TypeOf<ResultsFileException>()
                .With.Message.Contains("temperature: '1' before, '0.5' now")
                .And.Message.Contains("dtype: '(absent)' before, 'float32' now"));
    }
}
