using NUnit.Framework;
using OrzDynamic.Core.Probes;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Sharding;

namespace OrzDynamic.Core.Tests.Results;

/// <summary>
/// Every reader of a journal line, a plan and a run manifest refuses wrong types, nulls in fields that are not nullable
/// and null list elements, naming the file, the line and the JSON path.
/// </summary>
[TestFixture]
public class StrictReadingTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("orz-strict-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private const string GoodSample = """{"dataset":"a","index":0,"checkpoint":"c","prompt":"p","output":"o","final_answer":"","answer":"1","iscorrect":false,"token_ids":[1,2],"prompt_tokens":3,"finish_reason":"eos"}""";

    [TestCase("\"output\":null", "field $.output is null")]
    [TestCase("\"token_ids\":null", "field $.token_ids is null")]
    [TestCase("\"token_ids\":[1,null]", "field $.token_ids[1] is null")]
    [TestCase("\"index\":\"seven\"", "field $.index is a string; expected an integer")]
    [TestCase("\"iscorrect\":\"yes\"", "field $.iscorrect is a string; expected true or false")]
    [TestCase("\"sampled_tokens\":{\"tokens\":[\"a\",null]}", "field $.sampled_tokens.tokens[1] is null")]
    [TestCase("\"sampled_tokens\":{\"ld_metrics\":[null]}", "field $.sampled_tokens.ld_metrics[0] is null")]
    [TestCase("\"think_segments\":{\"status\":null}", "field $.think_segments.status is null")]
    public void SampleRecord_WrongTypeOrNull_RefusedNamingFileLineAndPath(string field, string problem)
    {
        var path = Path.Combine(_dir, OutputLayout.Journal);
        var name = field[..(field.IndexOf(':') + 1)];
        var bad = System.Text.RegularExpressions.Regex.Replace(GoodSample, System.Text.RegularExpressions.Regex.Escape(name) + @"(""[^""]*""|\[[^\]]*\]|[^,}]*)", field);
        if (!bad.Contains(field, StringComparison.Ordinal)) bad = GoodSample[..^1] + "," + field + "}";
        File.WriteAllText(path, GoodSample + "\n" + bad + "\n");
        var ex = Assert.Throws<ResultsFileException>(() => ResultsJournal.Open(path).Dispose())!;
        Assert.That(ex.Message, Is.EqualTo($"{path}, line 2: not a valid sample record: {problem}"));
        Assert.That(ex.Line, Is.EqualTo(2));
    }

    [Test]
    public void NullLine_Refused()
    {
        var path = Path.Combine(_dir, OutputLayout.Journal);
        File.WriteAllText(path, "null\n");
        var ex = Assert.Throws<ResultsFileException>(() => ResultsJournal.Open(path).Dispose())!;
        Assert.That(ex.Message, Is.EqualTo($"{path}, line 1: not a valid sample record: the line is null"));
    }

    [Test]
    public void ProbeRecord_NullSourceOrTokenIds_Refused()
    {
        var path = Path.Combine(_dir, "probes_x.jsonl");
        File.WriteAllText(path, """{"source":null,"index":0,"checkpoint":"c","fingerprint":"f","token_ids":[1],"log_probs":[-1.0]}""" + "\n");
        var ex = Assert.Throws<ResultsFileException>(() => JsonlJournal<string, ProbeRecord>.Read(path, ProbeRecord.JournalFormat))!;
        Assert.That(ex.Message, Is.EqualTo($"{path}, line 1: not a valid probe record: field $.source is null"));
        File.WriteAllText(path, """{"source":"s","index":0,"checkpoint":"c","fingerprint":"f","token_ids":"1","log_probs":[-1.0]}""" + "\n");
        ex = Assert.Throws<ResultsFileException>(() => JsonlJournal<string, ProbeRecord>.Read(path, ProbeRecord.JournalFormat))!;
        Assert.That(ex.Message, Is.EqualTo($"{path}, line 1: not a valid probe record: field $.token_ids is a string; expected an array"));
    }

    [TestCase("null", "field $.seed is null")]
    [TestCase("7", "field $.seed: expected a string, got Number")]
    public void RunManifest_NullOrNumberValue_BesideResults_Refused(string value, string problem)
    {
        var manifestPath = Path.Combine(_dir, OutputLayout.Manifest);
        File.WriteAllText(manifestPath, "{\n  \"model\": \"m\",\n  \"seed\": " + value + "\n}");
        var before = File.ReadAllBytes(manifestPath);
        var ex = Assert.Throws<ResultsFileException>(() => new RunManifest().With("model", "m").With("seed", 42).WriteOrVerify(_dir, hasResults: true))!;
        Assert.That(ex.Message, Does.StartWith(manifestPath + ": unreadable run manifest (the run manifest is torn or not a JSON object of strings: line 3: " + problem + ")"));
        Assert.That(File.ReadAllBytes(manifestPath), Is.EqualTo(before));
    }

    [TestCase("\"units\": null", "field $.units is null")]
    [TestCase("\"units\": [null]", "field $.units[0] is null")]
    [TestCase("\"checkpoints\": [ { \"name\": null } ]", "field $.checkpoints[0].name is null")]
    [TestCase("\"shards\": \"two\"", "field $.shards is a string; expected an integer")]
    public void Plan_WrongTypeOrNull_RefusedNamingFileLineAndPath(string field, string problem)
    {
        var path = ShardLayout.PlanPath(_dir);
        File.WriteAllText(path, "{\n  \"format\": 1,\n  " + field + "\n}");
        var ex = Assert.Throws<ShardPlanException>(() => ShardPlan.Load(path))!;
        Assert.That(ex.Message, Is.EqualTo($"{path}, line 3: not a valid plan: {problem}"));
    }
}
