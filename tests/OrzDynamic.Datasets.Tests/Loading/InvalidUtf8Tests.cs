using System.Text;
using NUnit.Framework;
using OrzDynamic.Datasets.Loading;
using OrzDynamic.Datasets.Tests.TestSupport;

namespace OrzDynamic.Datasets.Tests.Loading;

public class InvalidUtf8Tests
{
    private TempDir _dir = null!;

    [SetUp] public void SetUp() => _dir = new TempDir();
    [TearDown] public void TearDown() => _dir.Dispose();

    private string WriteBytes(string name, params byte[][] parts)
    {
        var path = _dir.Write(name, "");
        File.WriteAllBytes(path, parts.SelectMany(p => p).ToArray());
        return path;
    }

    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public void InvalidUtf8_IsRefusedByDefault_NamingFileLineAndByteOffset()
    {
        var head = U("{\"prompt\":\"What is 1 + 1?\",\"answer\":\"2\"}\n{\"prompt\":\"x");
        var path = WriteBytes("bad.jsonl", head, [0xE2, 0x28, 0xA1], U("\",\"answer\":\"3\"}\n"));
        var ex = Assert.Throws<DataFormatException>(() => new EvalDataLoader().Load([path]))!;
        Assert.That(ex.Errors, Has.Count.EqualTo(1));
        Assert.That(ex.Errors[0].FilePath, Is.EqualTo(path));
        Assert.That(ex.Errors[0].LineNumber, Is.EqualTo(2));
        Assert.That(ex.Errors[0].Message, Does.Contain($"invalid UTF-8 at byte offset {head.Length}"));
    }

    [Test]
    public void ReplaceInvalidUtf8_ReplacesEachSequenceWithFffd_ValidFilesUnchanged()
    {
        var path = WriteBytes("bad.jsonl", U("{\"prompt\":\"caf"), [0xC3, 0x28], U(" \u00e9t\u00e9 "), [0xFF], U("\",\"answer\":\"2\"}\n"));
        var data = new EvalDataLoader().Load([path], new EvalDataOptions { ReplaceInvalidUtf8 = true });
        Assert.That(data.Samples.Single().Question, Is.EqualTo("caf\uFFFD( \u00e9t\u00e9 \uFFFD"));
        var bom = WriteBytes("bom.json", [0xEF, 0xBB, 0xBF], U("[{\"prompt\":\"\u00e9\",\"answer\":\"2\"}]"));
        Assert.That(new EvalDataLoader().Load([bom]).Samples.Single().Question, Is.EqualTo("\u00e9"));
    }

    [Test]
    public void CustomSentences_InvalidUtf8_RefusedOrReplaced()
    {
        var path = WriteBytes("s.jsonl", U("{\"prompt\":\"p\",\"response\":\"r"), [0x80], U("\"}\n"));
        var ex = Assert.Throws<DataFormatException>(() => new CustomSentenceLoader().Load(path))!;
        Assert.That(ex.Message, Does.Contain("invalid UTF-8 at byte offset 27"));
        Assert.That(new CustomSentenceLoader().Load(path, replaceInvalidUtf8: true).Sentences.Single().Response, Is.EqualTo("r\uFFFD"));
    }
}
