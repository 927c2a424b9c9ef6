using NUnit.Framework;
using OrzDynamic.Datasets.Loading;
using OrzDynamic.Datasets.Templates;
using OrzDynamic.Datasets.Tests.TestSupport;

namespace OrzDynamic.Datasets.Tests.Loading;

/// <summary>Record forms, JSON vs JSON Lines, and the error discipline for malformed input.</summary>
public class EvalDataLoaderFormatTests
{
    private TempDir _dir = null!;

    [SetUp] public void SetUp() => _dir = new TempDir();
    [TearDown] public void TearDown() => _dir.Dispose();

    [Test]
    public void SimpleFormAsJsonLines()
    {
        var p = _dir.Write("simple.jsonl", "{\"prompt\": \"1+1?\", \"answer\": \"\\\\boxed{2}\"}\n\n{\"prompt\": \"2+2?\", \"answer\": 4}\n");
        var set = new EvalDataLoader().Load([p]);
        Assert.That(set.Samples, Has.Count.EqualTo(2));
        Assert.That(set.Samples[0], Has.Property("DatasetName").EqualTo("simple").And.Property("Index").EqualTo(0));
        Assert.That(set.Samples[0].Answer, Is.EqualTo("\\boxed{2}"));
        Assert.That(set.Samples[1].Answer, Is.EqualTo("4"));
        Assert.That(set.Samples[1].Index, Is.EqualTo(1));
    }

    [Test]
    public void ToolFormWithNumericFinalAnswerAndNumericChoices()
    {
        var p = _dir.Write("tool.json", """
            [{"prompt":[{"from":"system","value":"be brief"},{"from":"user","value":"Q1"}],"final_answer":0.5},
             {"prompt":[{"from":"user","value":"Q2"}],"final_answer":"B","choices":{"A":1,"B":"two"}}]
            """);
        var set = new EvalDataLoader().Load([p]);
        Assert.That(set.Samples[0].Question, Is.EqualTo("Q1"));
        Assert.That(set.Samples[0].Answer, Is.EqualTo("0.5"));
        Assert.That(set.Samples[1].Choices, Is.EquivalentTo(new Dictionary<string, string> { ["A"] = "1", ["B"] = "two" }));
    }

    [Test]
    public void SingleObjectOnOneLineIsAOneRecordJsonLinesFile()
    {
        var p = _dir.Write("one.jsonl", "{\"prompt\":\"q\",\"answer\":\"a\"}");
        Assert.That(new EvalDataLoader().Load([p]).Samples, Has.Count.EqualTo(1));
    }

    [Test]
    public void EveryBadRecordIsListedWithFileIndexAndField()
    {
        var p = _dir.Write("bad.json", """
            [{"prompt":"ok","final_answer":"1"},
             {"final_answer":"1"},
             {"prompt":[{"from":"user","value":5}],"final_answer":"1"},
             {"prompt":"q","final_answer":{"x":1}},
             "just a string",
             {"prompt":"q","answer":"1","choices":["A","B"]}]
            """);
        var q = _dir.Write("bad2.jsonl", "{\"prompt\":\"q\"}\nnot json at all\n{\"prompt\":\"q\",\"answer\":\"2\"}\n");
        var ex = Assert.Throws<DataFormatException>(() => new EvalDataLoader().Load([p, q]))!;
        var keys = ex.Errors.Select(e => (System.IO.Path.GetFileName(e.FilePath), e.RecordIndex, e.Field)).ToList();
        Assert.That(keys, Is.EquivalentTo(new (string, int?, string?)[]
        {
            ("bad.json", 1, "prompt"),
            ("bad.json", 2, "prompt[0].value"),
            ("bad.json", 2, "prompt"),
            ("bad.json", 3, "final_answer"),
            ("bad.json", 4, null),
            ("bad.json", 5, "choices"),
            ("bad2.jsonl", 0, "final_answer"),
            ("bad2.jsonl", 1, null),
        }));
        Assert.That(ex.Errors.Single(e => e.RecordIndex == 1 && e.FilePath == q).LineNumber, Is.EqualTo(2));
        Assert.That(ex.Message, Does.Contain("bad.json record 3 field 'final_answer'"));
        Assert.That(ex.Message, Does.Contain("bad2.jsonl:2 record 1"));
    }

    [Test]
    public void SkipModeSkipsBadRecordsWithAWarningEachAndCountsThem()
    {
        var p = _dir.Write("mixed.jsonl", "{\"prompt\":\"q0\",\"answer\":\"0\"}\n{\"prompt\":7,\"answer\":\"1\"}\n{\"prompt\":\"q2\",\"answer\":[1]}\n{\"prompt\":\"q3\",\"answer\":\"3\"}\n");
        var logger = new ListLogger();
        var set = new EvalDataLoader(logger).Load([p], new EvalDataOptions { SkipInvalidRecords = true });
        Assert.That(set.Samples.Select(s => s.Index), Is.EqualTo(new[] { 0, 3 }));
        Assert.That(set.SkippedInvalidRecords, Is.EqualTo(2));
        Assert.That(set.InvalidRecordErrors, Has.Count.EqualTo(2));
        Assert.That(logger.Warnings.ToList(), Has.Count.EqualTo(2));
        Assert.That(logger.Warnings.First(), Does.Contain("record 1").And.Contain("prompt"));
        Assert.That(set.Files[0], Has.Property("Records").EqualTo(4).And.Property("Valid").EqualTo(2));
    }

    [TestCase("", "empty")]
    [TestCase("   \n  ", "empty")]
    [TestCase("[]", "no records")]
    [TestCase("\"a string\"", "root is a JSON string")]
    [TestCase("{\n \"prompt\": \"q\",\n \"answer\": \"a\"\n}", "root is a JSON object")]
    [TestCase("[{\"prompt\":\"q\", ", "not valid JSON")]
    [TestCase("hello world\nsecond line", "not valid JSON or JSON Lines")]
    public void FileLevelProblemsThrowEvenInSkipMode(string content, string expected)
    {
        var p = _dir.Write("f.json", content);
        var ex = Assert.Throws<DataFormatException>(() => new EvalDataLoader().Load([p], new EvalDataOptions { SkipInvalidRecords = true }))!;
        Assert.That(ex.Errors, Has.Count.EqualTo(1));
        Assert.That(ex.Errors[0].RecordIndex, Is.Null);
        Assert.That(ex.Errors[0].Message, Does.Contain(expected));
        Assert.That(ex.Message, Does.Contain(p));
    }

    [Test]
    public void ProblemsInSeveralFilesAreReportedTogether()
    {
        var a = _dir.Write("a.json", "");
        var b = _dir.Write("b.json", "[{\"prompt\":\"q\"}]");
        var ex = Assert.Throws<DataFormatException>(() => new EvalDataLoader().Load([a, b]))!;
        Assert.That(ex.Errors.Select(e => System.IO.Path.GetFileName(e.FilePath)), Is.EquivalentTo(new[] { "a.json", "b.json" }));
    }

    [Test]
    public void MissingFileThrowsFileNotFound()
    {
        Assert.That(() => new EvalDataLoader().Load([System.IO.Path.Combine(_dir.Path, "nope.json")]), Throws.TypeOf<FileNotFoundException>());
    }

    [Test]
    public void PromptMaxLenWithoutTokenizerIsAnArgumentError()
    {
        var p = _dir.Write("s.jsonl", "{\"prompt\":\"q\",\"answer\":\"a\"}");
        Assert.That(() => new EvalDataLoader().Load([p], new EvalDataOptions { PromptMaxLen = 5 }), Throws.ArgumentException);
    }

    [Test]
    public void CustomTemplateAndBosTokenAreUsed()
    {
        var p = _dir.Write("s.jsonl", "{\"prompt\":\"q\",\"answer\":\"a\"}");
        var set = new EvalDataLoader().Load([p], new EvalDataOptions { Template = PromptTemplate.FromText("{bos_token}[{prompt}]") }, new WordTokenizer("<s>"));
        Assert.That(set.Samples[0].Prompt, Is.EqualTo("<s>[q]"));
        Assert.That(set.Samples[0].PromptTokenCount, Is.EqualTo(1));
    }

    [Test]
    public void SeededShuffleIsAPermutationAndReproducible()
    {
        var a = EvalDataLoader.SeededShuffle(50, 3);
        Assert.That(a.Order(), Is.EqualTo(Enumerable.Range(0, 50)));
        Assert.That(EvalDataLoader.SeededShuffle(50, 3), Is.EqualTo(a));
        Assert.That(a, Is.Not.EqualTo(Enumerable.Range(0, 50)));
    }
}
