using NUnit.Framework;
using OrzDynamic.Datasets.Loading;
using OrzDynamic.Datasets.Tests.TestSupport;

namespace OrzDynamic.Datasets.Tests.Loading;

public class CustomSentenceLoaderTests
{
    private TempDir _dir = null!;

    [SetUp] public void SetUp() => _dir = new TempDir();
    [TearDown] public void TearDown() => _dir.Dispose();

    [Test]
    public void LoadsJsonArrayAndJsonLines()
    {
        var a = _dir.Write("a.json", "[{\"prompt\":\"p1\",\"response\":\"r1\"},{\"prompt\":\"\",\"response\":\"r2\"}]");
        var b = _dir.Write("b.jsonl", "{\"prompt\":\"p3\",\"response\":\"r3\"}\n");
        var set = new CustomSentenceLoader().Load([a, b]);
        Assert.That(set.Sentences.Select(s => (s.Prompt, s.Response, s.Index)),
            Is.EqualTo(new[] { ("p1", "r1", 0), ("", "r2", 1), ("p3", "r3", 0) }));
        Assert.That(set.SkippedInvalidRecords, Is.Zero);
    }

    [Test]
    public void ListsEveryBadRecord()
    {
        var a = _dir.Write("s.jsonl", "{\"prompt\":\"p\"}\n{\"prompt\":1,\"response\":\"r\"}\n[1]\n{\"prompt\":\"p\",\"response\":\"\"}\n{\"prompt\":\"p\",\"response\":\"ok\"}\n");
        var ex = Assert.Throws<DataFormatException>(() => new CustomSentenceLoader().Load(a))!;
        Assert.That(ex.Errors.Select(e => (e.RecordIndex, e.Field)), Is.EquivalentTo(new (int?, string?)[]
        {
            (0, "response"), (1, "prompt"), (2, null), (3, "response"),
        }));
    }

    [Test]
    public void SkipModeWarnsAndCounts()
    {
        var a = _dir.Write("s.jsonl", "{\"prompt\":\"p\"}\n{\"prompt\":\"p\",\"response\":\"ok\"}\n");
        var logger = new ListLogger();
        var set = new CustomSentenceLoader(logger).Load(a, skipInvalidRecords: true);
        Assert.That(set.Sentences, Has.Count.EqualTo(1));
        Assert.That(set.SkippedInvalidRecords, Is.EqualTo(1));
        Assert.That(logger.Warnings.Single(), Does.Contain("response"));
    }

    [Test]
    public void WrongRootTypeThrows()
    {
        var a = _dir.Write("s.json", "42");
        Assert.That(() => new CustomSentenceLoader().Load(a, skipInvalidRecords: true),
            Throws.TypeOf<DataFormatException>().With.Message.Contains("root is a JSON number"));
    }

    [Test]
    public void OptionalGroupAndLabel_AreReadAndTypeChecked()
    {
        var a = _dir.Write("g.jsonl",
            "{\"prompt\":\"p\",\"response\":\"r\",\"group\":\" chosen \",\"label\":\"good one\"}\n" +
            "{\"prompt\":\"p\",\"response\":\"r2\",\"group\":null}\n" +
            "{\"prompt\":\"p\",\"response\":\"r3\"}\n");
        var set = new CustomSentenceLoader().Load(a);
        Assert.That(set.Sentences.Select(s => (s.Group, s.Label)), Is.EqualTo(new (string?, string?)[] { ("chosen", "good one"), (null, null), (null, null) }));

        var bad = _dir.Write("bad.jsonl", "{\"prompt\":\"p\",\"response\":\"r\",\"group\":3}\n{\"prompt\":\"p\",\"response\":\"r\",\"label\":\"  \"}\n");
        var ex = Assert.Throws<DataFormatException>(() => new CustomSentenceLoader().Load(bad))!;
        Assert.That(ex.Errors.Select(e => (e.RecordIndex, e.Field)), Is.EquivalentTo(new (int?, string?)[] { (0, "group"), (1, "label") }));
        Assert.That(ex.Message, Does.Contain("bad.jsonl"));
    }
}
