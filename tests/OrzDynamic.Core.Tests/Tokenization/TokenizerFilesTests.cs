using System.Text.Json.Nodes;
using NUnit.Framework;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Tokenization;

/// <summary>Loading hand-made tokenizer directories: configuration parsing, added-token flags and bad files.</summary>
[TestFixture]
public sealed class TokenizerFilesTests
{
    [Test]
    public void TinyByteLevel_EncodesWithMergesAndAddedTokens()
    {
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson());
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.Encode("hello"), Is.EqualTo(new[] { 258, 'o' }));
        Assert.That(tok.Encode("hello<|eot|>"), Is.EqualTo(new[] { 258, 'o', 259 }));
        Assert.That(tok.VocabSize, Is.EqualTo(261));
        Assert.That(tok.Decode(tok.Encode("hello<|eot|>"), skipSpecialTokens: true), Is.EqualTo("hello"));
    }

    [Test]
    public void AddedToken_LStripAndRStripSwallowNeighbouringSpaces()
    {
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson());
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.Encode("a  <mask>  b"), Is.EqualTo(new[] { 'a', 260, 'b' }));
        // <|eot|> has no strip flags: the spaces stay ordinary text ('Ġ' is byte 0x20 = id 32).
        Assert.That(tok.Encode("a <|eot|> b"), Is.EqualTo(new[] { 'a', 32, 259, 32, 'b' }));
    }

    [Test]
    public void AddedToken_SingleWordOnlyMatchesStandingAlone()
    {
        var json = TinyTokenizerFiles.ByteLevelJson();
        json["added_tokens"]![1]!["single_word"] = true;
        json["added_tokens"]![1]!["lstrip"] = false;
        json["added_tokens"]![1]!["rstrip"] = false;
        using var files = new TinyTokenizerFiles().Write(json);
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.Encode("x<mask>"), Does.Not.Contain(260));
        Assert.That(tok.Encode("x <mask>"), Does.Contain(260));
    }

    [Test]
    public void Config_TokensAsStringsOrAddedTokenObjects_EosListFromGenerationConfig()
    {
        using var files = new TinyTokenizerFiles().Write(
            TinyTokenizerFiles.ByteLevelJson(),
            """{"bos_token": {"content": "he", "lstrip": false, "__type": "AddedToken"}, "eos_token": "<|eot|>", "pad_token": null, "add_bos_token": true, "clean_up_tokenization_spaces": true}""",
            """{"bos_token_id": 256, "eos_token_id": [259, 258], "pad_token_id": 257}""");
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.Multiple(() =>
        {
            Assert.That(tok.BosToken, Is.EqualTo("he"));
            Assert.That(tok.BosTokenId, Is.EqualTo(256));
            Assert.That(tok.EosToken, Is.EqualTo("<|eot|>"));
            Assert.That(tok.EosTokenIds, Is.EquivalentTo(new[] { 258, 259 }));
            Assert.That(tok.PadTokenId, Is.EqualTo(257));
            Assert.That(tok.Config.AddBosToken, Is.True);
            Assert.That(tok.Config.AddEosToken, Is.Null);
            Assert.That(tok.Config.CleanUpTokenizationSpaces, Is.True);
        });
    }

    [Test]
    public void Config_SingleEosIdAndNoTokenizerConfig()
    {
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson(), generationConfig: """{"eos_token_id": 259}""");
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.EosTokenIds, Is.EquivalentTo(new[] { 259 }));
        Assert.That(tok.BosToken, Is.Null);
        Assert.That(tok.PadTokenId, Is.Null);
    }

    [Test]
    public void LlamaClass_AddBosTokenRebuildsTheTemplate()
    {
        using var files = new TinyTokenizerFiles().Write(
            TinyTokenizerFiles.ByteLevelJson(),
            """{"tokenizer_class": "LlamaTokenizer", "bos_token": "he", "eos_token": "<|eot|>", "add_bos_token": true, "add_eos_token": true}""");
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.Encode("o", addSpecialTokens: true), Is.EqualTo(new[] { 256, 'o', 259 }));
        Assert.That(tok.Encode("o", addSpecialTokens: false), Is.EqualTo(new[] { 'o' }));
    }

    [Test]
    public void SplitSpecialTokens_TokenizesSpecialTextAsOrdinaryText()
    {
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson(), """{"split_special_tokens": true}""");
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.Config.SplitSpecialTokens, Is.True);
        Assert.That(tok.Encode("<|eot|>"), Does.Not.Contain(259));
        Assert.That(tok.Encode("<mask>"), Is.EqualTo(new[] { 260 }), "non-special added tokens are still matched");
    }

    [Test]
    public void SequencePostProcessor_WithTemplate_AddsBosOnlyWithSpecialTokens()
    {
        // The shape of Meta's own Llama-3 tokenizer.json: Sequence[ByteLevel, TemplateProcessing(<|begin_of_text|> $A)].
        var json = TinyTokenizerFiles.ByteLevelJson();
        json["post_processor"] = JsonNode.Parse("""
            {"type":"Sequence","processors":[
              {"type":"ByteLevel","add_prefix_space":true,"trim_offsets":false,"use_regex":true},
              {"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<|eot|>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
               "pair":[],"special_tokens":{"<|eot|>":{"id":"<|eot|>","ids":[259],"tokens":["<|eot|>"]}}}]}
            """);
        using var files = new TinyTokenizerFiles().Write(json);
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.Encode("hello", addSpecialTokens: true), Is.EqualTo(new[] { 259, 258, 'o' }));
        Assert.That(tok.Encode("hello"), Is.EqualTo(new[] { 258, 'o' }));
        Assert.That(tok.Encode("", addSpecialTokens: true), Is.EqualTo(new[] { 259 }));
    }

    [Test]
    public void MissingDirectoryOrFile_NamesThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-tokenizer-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.FromDirectory(missing));
        Assert.That(ex!.FilePath, Is.EqualTo(missing));

        using var files = new TinyTokenizerFiles();
        ex = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.FromDirectory(files.Directory));
        Assert.That(ex!.FilePath, Is.EqualTo(files.TokenizerJsonPath));
        Assert.That(ex.Message, Does.Contain("not found"));
    }

    [Test]
    public void InvalidJson_IsATokenizerLoadException()
    {
        using var files = new TinyTokenizerFiles();
        File.WriteAllText(files.TokenizerJsonPath, "{\"model\": {");
        var ex = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.FromDirectory(files.Directory));
        Assert.That(ex!.Message, Does.Contain("not valid JSON"));
    }

    private static IEnumerable<TestCaseData> BadFieldCases()
    {
        yield return Case("model missing", j => j.Remove("model"), "model");
        yield return Case("vocab missing", j => j["model"]!.AsObject().Remove("vocab"), "model.vocab");
        yield return Case("vocab id is a string", j => j["model"]!["vocab"]!["he"] = "x", "model.vocab[\"he\"]");
        yield return Case("duplicate id", j => j["model"]!["vocab"]!["ll"] = 256, "model.vocab[\"ll\"]");
        yield return Case("merge with three parts", j => j["model"]!["merges"]![0] = "h e x", "model.merges[0]");
        yield return Case("merge is a number", j => j["model"]!["merges"]![1] = 5, "model.merges[1]");
        yield return Case("added token without id", j => j["added_tokens"]![0]!.AsObject().Remove("id"), "added_tokens[0].id");
        yield return Case("missing byte token", j => j["model"]!["vocab"]!.AsObject().Remove("a"), "model.vocab");
        yield return Case("bad split behavior", j => j["pre_tokenizer"] = JsonNode.Parse("""{"type":"Split","pattern":{"Regex":"a"},"behavior":"Sideways"}"""), "pre_tokenizer.behavior");
        yield return Case("bad regex", j => j["pre_tokenizer"] = JsonNode.Parse("""{"type":"Split","pattern":{"Regex":"(unclosed"},"behavior":"Isolated"}"""), "pre_tokenizer.pattern.Regex");
        yield return Case("template without special_tokens entry", j => j["post_processor"] = JsonNode.Parse("""{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],"special_tokens":{}}"""), "post_processor.single[0].SpecialToken.id");

        static TestCaseData Case(string name, Action<JsonObject> corrupt, string field) =>
            new TestCaseData(corrupt, field).SetName($"BadTokenizerJson_{name.Replace(' ', '_')}");
    }

    [TestCaseSource(nameof(BadFieldCases))]
    public void BadTokenizerJson_NamesFileAndField(Action<JsonObject> corrupt, string field)
    {
        var json = TinyTokenizerFiles.ByteLevelJson();
        corrupt(json);
        using var files = new TinyTokenizerFiles().Write(json);
        var ex = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.FromDirectory(files.Directory));
        Assert.That(ex!.FilePath, Is.EqualTo(files.TokenizerJsonPath));
        Assert.That(ex.Field, Is.EqualTo(field), ex.Message);
    }

    [TestCase("""{"eos_token": 5}""", "tokenizer_config.json", "eos_token")]
    [TestCase("""{"bos_token": {"lstrip": false}}""", "tokenizer_config.json", "bos_token.content")]
    [TestCase("""{"bos_token": "<not-a-token>"}""", "tokenizer_config.json", "bos_token")]
    [TestCase("""{"add_bos_token": "yes"}""", "tokenizer_config.json", "add_bos_token")]
    public void BadTokenizerConfig_NamesFileAndField(string config, string fileName, string field)
    {
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson(), config);
        var ex = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.FromDirectory(files.Directory));
        Assert.That(ex!.FilePath, Is.EqualTo(Path.Combine(files.Directory, fileName)));
        Assert.That(ex.Field, Is.EqualTo(field), ex.Message);
    }

    [TestCase("""{"eos_token_id": [1, "two"]}""", "eos_token_id[1]")]
    [TestCase("""{"eos_token_id": 1.5}""", "eos_token_id")]
    [TestCase("""{"pad_token_id": "0"}""", "pad_token_id")]
    public void BadGenerationConfig_NamesFileAndField(string config, string field)
    {
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson(), generationConfig: config);
        var ex = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.FromDirectory(files.Directory));
        Assert.That(Path.GetFileName(ex!.FilePath), Is.EqualTo("generation_config.json"));
        Assert.That(ex.Field, Is.EqualTo(field), ex.Message);
    }

    [TestCase("WordPiece")]
    [TestCase("Unigram")]
    public void UnsupportedModelType_IsNotSupportedNamingIt(string type)
    {
        var json = TinyTokenizerFiles.ByteLevelJson();
        json["model"]!["type"] = type;
        using var files = new TinyTokenizerFiles().Write(json);
        var ex = Assert.Throws<NotSupportedException>(() => HfTokenizer.FromDirectory(files.Directory));
        Assert.That(ex!.Message, Does.Contain(type));
    }

    [TestCase("normalizer", """{"type":"Precompiled","precompiled_charsmap":"AAAA"}""", "Precompiled")]
    [TestCase("decoder", """{"type":"WordPiece","prefix":"##"}""", "WordPiece")]
    [TestCase("post_processor", """{"type":"Whatever"}""", "Whatever")]
    public void UnsupportedComponent_IsNotSupportedNamingIt(string component, string node, string type)
    {
        var json = TinyTokenizerFiles.ByteLevelJson();
        json[component] = JsonNode.Parse(node);
        using var files = new TinyTokenizerFiles().Write(json);
        var ex = Assert.Throws<NotSupportedException>(() => HfTokenizer.FromDirectory(files.Directory));
        Assert.That(ex!.Message, Does.Contain(type));
    }

    [Test]
    public void DecodeOfIdBeyondTheTokenizer_IsEmptyLikeHf_NegativeThrows()
    {
        using var files = new TinyTokenizerFiles().Write(TinyTokenizerFiles.ByteLevelJson());
        var tok = HfTokenizer.FromDirectory(files.Directory);
        Assert.That(tok.Decode([1, 9999]), Is.EqualTo(tok.Decode([1])));
        Assert.That(tok.IsKnownId(9999), Is.False);
        Assert.That(tok.IsKnownId(1), Is.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => tok.Decode([1, -1]));
    }
}
