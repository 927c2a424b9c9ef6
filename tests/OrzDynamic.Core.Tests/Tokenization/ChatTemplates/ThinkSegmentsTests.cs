using NUnit.Framework;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Tokenization.ChatTemplates;

/// <summary>Splitting a response's tokens into reasoning and answer at <c>&lt;/think&gt;</c>.</summary>
[TestFixture]
public sealed class ThinkSegmentsTests
{
    private static string Text(HfTokenizer tok, IReadOnlyList<int> ids, TokenSpan span) => tok.Decode(ids.Skip(span.Start).Take(span.Length));

    [Test]
    public void Qwen3_ClosedReasoning_SplitsAtTheAddedToken()
    {
        var tok = SharedTokenizers.Get("qwen3");
        var ids = tok.Encode("<think>\nSix sevens are 42.\n</think>\n\nThe answer is 42.", addSpecialTokens: false);
        var split = ThinkSegments.Find(ids, tok);
        Assert.That(split.Status, Is.EqualTo(ThinkSegmentStatus.Closed));
        Assert.That(split.OpenTagTokens, Is.EqualTo(new TokenSpan(0, 1)));
        Assert.That(ids[split.CloseTagTokens!.Value.Start], Is.EqualTo(tok.TokenToId("</think>")));
        Assert.That(Text(tok, ids, split.Reasoning), Is.EqualTo("\nSix sevens are 42.\n"));
        Assert.That(Text(tok, ids, split.Answer), Is.EqualTo("\n\nThe answer is 42."));
        Assert.That(split.Reasoning.Length + split.Answer.Length + 2, Is.EqualTo(ids.Count));
    }

    [Test]
    public void Qwen3_PromptOpenedThinking_ReasoningStartsAtTheFirstToken()
    {
        var tok = SharedTokenizers.Get("qwen3");
        var ids = tok.Encode("step one, step two</think>\n\n7", addSpecialTokens: false);
        var split = ThinkSegments.Find(ids, tok, promptOpensThink: true);
        Assert.That(split.Status, Is.EqualTo(ThinkSegmentStatus.Closed));
        Assert.That(split.OpenTagTokens, Is.Null);
        Assert.That(split.Reasoning.Start, Is.Zero);
        Assert.That(Text(tok, ids, split.Reasoning), Is.EqualTo("step one, step two"));
        Assert.That(Text(tok, ids, split.Answer), Is.EqualTo("\n\n7"));
    }

    [Test]
    public void Qwen3_NoTags_IsAllAnswer_OrAllReasoningWhenThePromptOpenedIt()
    {
        var tok = SharedTokenizers.Get("qwen3");
        var ids = tok.Encode("Just the answer: 5", addSpecialTokens: false);
        var plain = ThinkSegments.Find(ids, tok);
        Assert.That(plain.Status, Is.EqualTo(ThinkSegmentStatus.NoCloseTag));
        Assert.That(plain.Answer, Is.EqualTo(new TokenSpan(0, ids.Count)));
        Assert.That(plain.Reasoning.IsEmpty, Is.True);

        var truncated = ThinkSegments.Find(ids, tok, promptOpensThink: true);
        Assert.That(truncated.Status, Is.EqualTo(ThinkSegmentStatus.Unclosed));
        Assert.That(truncated.Reasoning, Is.EqualTo(new TokenSpan(0, ids.Count)));
        Assert.That(truncated.Answer.IsEmpty, Is.True);
    }

    [Test]
    public void Qwen3_OpenedButNotClosed_IsUnclosed()
    {
        var tok = SharedTokenizers.Get("qwen3");
        var ids = tok.Encode("<think>\nstill going", addSpecialTokens: false);
        var split = ThinkSegments.Find(ids, tok);
        Assert.That(split.Status, Is.EqualTo(ThinkSegmentStatus.Unclosed));
        Assert.That(Text(tok, ids, split.Reasoning), Is.EqualTo("\nstill going"));
        Assert.That(split.Answer, Is.EqualTo(new TokenSpan(ids.Count, 0)));
    }

    [Test]
    public void TagSpelledOverSeveralTokens_IsFound()
    {
        // The tiny byte-level tokenizer has no <think> tokens: every character is its own token.
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson());
        var tok = HfTokenizer.FromDirectory(files.Directory);
        var ids = tok.Encode("ab</think>cd", addSpecialTokens: false);
        Assert.That(ids, Has.Count.EqualTo(12));
        var split = ThinkSegments.Find(ids, tok);
        Assert.That(split.Status, Is.EqualTo(ThinkSegmentStatus.Closed));
        Assert.That(split.Reasoning, Is.EqualTo(new TokenSpan(0, 2)));
        Assert.That(split.CloseTagTokens, Is.EqualTo(new TokenSpan(2, 8)));
        Assert.That(split.Answer, Is.EqualTo(new TokenSpan(10, 2)));
    }

    [Test]
    public void TokenSharingTextWithTheTag_CountsAsTag()
    {
        var split = ThinkSegments.FromTokenTexts(["<thi", "nk>r1", " r2", "x</", "think", ">\n", "ans"]);
        Assert.That(split.Status, Is.EqualTo(ThinkSegmentStatus.Closed));
        Assert.That(split.OpenTagTokens, Is.EqualTo(new TokenSpan(0, 2)));
        Assert.That(split.Reasoning, Is.EqualTo(new TokenSpan(2, 1)));
        Assert.That(split.CloseTagTokens, Is.EqualTo(new TokenSpan(3, 3)));
        Assert.That(split.Answer, Is.EqualTo(new TokenSpan(6, 1)));
    }

    [Test]
    public void OnlyTheFirstCloseTagSplits_AndEmptyTokensAreHandled()
    {
        var split = ThinkSegments.FromTokenTexts(["", "r", "</think>", "", "a", "</think>", "b"]);
        Assert.That(split.Reasoning, Is.EqualTo(new TokenSpan(0, 2)));
        Assert.That(split.CloseTagTokens, Is.EqualTo(new TokenSpan(2, 1)));
        Assert.That(split.Answer, Is.EqualTo(new TokenSpan(3, 4)));
        var empty = ThinkSegments.FromTokenTexts([]);
        Assert.That(empty.Status, Is.EqualTo(ThinkSegmentStatus.NoCloseTag));
        Assert.That(empty.Answer.IsEmpty && empty.Reasoning.IsEmpty, Is.True);
    }
}
