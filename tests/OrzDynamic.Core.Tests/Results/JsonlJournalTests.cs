using NUnit.Framework;
using OrzDynamic.Core.Probes;
using OrzDynamic.Core.Results;
using OrzDynamic.Metrics;

namespace OrzDynamic.Core.Tests.Results;

/// <summary>The one journal type, through the probe journal's format (the results journal has its own tests).</summary>
[TestFixture]
public class JsonlJournalTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("orz-jsonl-journal-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static ProbeRecord Probe(string source, int index, double outToken = -1.25) => new()
    {
        Source = source, Index = index, Checkpoint = "iter0", Fingerprint = "f" + index,
        LdMetrics = new LdMetrics { OutToken = outToken, ANorm = double.NaN, ValidTokens = 2 },
        TokenIds = [5, 6], LogProbs = [-0.5, -2.0],
    };

    private static JsonlJournal<string, ProbeRecord> Open(string path) => JsonlJournal<string, ProbeRecord>.Open(path, ProbeRecord.JournalFormat);

    [Test]
    public void AppendedRecordsAreFlushedAndReadBackInOrder()
    {
        var path = Path.Combine(_dir, "probes_a.jsonl");
        using (var journal = Open(path))
        {
            journal.Append(Probe("math", 3));
            journal.Append(Probe("math", 1, -7.5));
            // Another reader sees both lines while the journal is open: each append is flushed.
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            Assert.That(reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
        }
        var read = JsonlJournal<string, ProbeRecord>.Read(path, ProbeRecord.JournalFormat);
        Assert.That(read.Select(r => r.Key), Is.EqualTo(new[] { "math#3", "math#1" }));
        Assert.That(read[1].LdMetrics!.OutToken, Is.EqualTo(-7.5));
        Assert.That(double.IsNaN(read[0].LdMetrics!.ANorm), Is.True);
        using var again = Open(path);
        Assert.That(again.Find("math#1")?.LogProbs, Is.EqualTo(new[] { -0.5, -2.0 }));
        Assert.That(again.Find("math#2"), Is.Null);
    }

    [Test]
    public void TornLastLineIsCutAndTheItemCanBeWrittenAgain()
    {
        var path = Path.Combine(_dir, "probes_a.jsonl");
        using (var journal = Open(path))
        {
            journal.Append(Probe("math", 0));
            journal.Append(Probe("math", 1));
        }
        var whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..^15]);
        using (var journal = Open(path))
        {
            Assert.That(journal.Records.Select(r => r.Index), Is.EqualTo(new[] { 0 }));
            journal.Append(Probe("math", 1));
        }
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(whole), "the resumed journal equals the uninterrupted one byte for byte");
    }

    [Test]
    public void ALaterDuplicateIsIgnoredAndAppendingAKnownKeyIsRefused()
    {
        var path = Path.Combine(_dir, "probes_a.jsonl");
        using (var journal = Open(path)) journal.Append(Probe("math", 0, -1));
        File.AppendAllText(path, File.ReadAllText(path).Replace("-1", "-9", StringComparison.Ordinal));
        using var reopened = Open(path);
        Assert.That(reopened.Records, Has.Count.EqualTo(1));
        Assert.That(reopened.Find("math#0")!.LdMetrics!.OutToken, Is.EqualTo(-1), "the first line wins");
        Assert.That(JsonlJournal<string, ProbeRecord>.Read(path, ProbeRecord.JournalFormat), Has.Count.EqualTo(1));
        var ex = Assert.Throws<InvalidOperationException>(() => reopened.Append(Probe("math", 0)));
        Assert.That(ex!.Message, Does.StartWith("Probe math#0 is already in"));
    }

    [Test]
    public void ARecordWithoutItsRequiredFieldNamesFileLineAndField()
    {
        var path = Path.Combine(_dir, "probes_a.jsonl");
        File.WriteAllText(path, "{\"source\":\"math\",\"index\":0}\n{\"index\":1}\n");
        var ex = Assert.Throws<ResultsFileException>(() => Open(path));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("line 2").And.Contain("'source'"));
        var malformed = Path.Combine(_dir, "probes_b.jsonl");
        File.WriteAllText(malformed, "{\"source\":\"math\",\"index\":0}\nnot json\n");
        Assert.That(() => JsonlJournal<string, ProbeRecord>.Read(malformed, ProbeRecord.JournalFormat),
            Throws.TypeOf<ResultsFileException>().With.Message.Contain("line 2"));
    }

    [Test]
    public void ADirectoryInPlaceOfTheJournalIsRefused()
    {
        var path = Path.Combine(_dir, "probes_a.jsonl");
        Directory.CreateDirectory(path);
        Assert.That(() => Open(path), Throws.TypeOf<ResultsFileException>().With.Message.Contain("is a directory"));
    }
}
