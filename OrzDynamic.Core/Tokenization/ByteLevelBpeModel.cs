using Microsoft.ML.Tokenizers;

namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// Byte-level BPE (GPT-2, Qwen2/2.5/3, Llama-3) on top of Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>
/// with <see cref="BpeOptions.ByteLevel"/>. The library does the byte mapping and the merges; this wrapper adds
/// Hugging Face's <c>ignore_merges</c> (a word that is itself in the vocabulary is emitted whole), which the
/// library does not have.
/// </summary>
internal sealed class ByteLevelBpeModel : ITokenModel
{
    private readonly BpeTokenizer _bpe;
    private readonly HfPreTokenizer? _preTokenizer;
    private readonly VocabularyTable _vocab;
    private readonly bool _ignoreMerges;

    public ByteLevelBpeModel(VocabularyTable vocab, IReadOnlyList<(string Left, string Right)> merges, bool ignoreMerges, string file, HfPreTokenizer? preTokenizer = null)
    {
        _vocab = vocab;
        MaxId = vocab.MaxId;
        _ignoreMerges = ignoreMerges;
        for (var b = 0; b < 256; b++)
        {
            if (!vocab.TryGetId(ByteLevelAlphabet.ByteToChar((byte)b).ToString(), out _))
                throw new TokenizerLoadException(file, "model.vocab", $"byte-level vocabulary lacks the single-byte token for byte 0x{b:X2} ('{ByteLevelAlphabet.ByteToChar((byte)b)}').");
        }
        // Without ignore_merges the library runs whole segments (our pre-tokenizer + BPE) in one call; single words
        // are encoded with considerPreTokenization: false on the same instance.
        _preTokenizer = ignoreMerges ? null : preTokenizer;
        var options = new BpeOptions(vocab.ToId)
        {
            Merges = merges.Select(m => m.Left + " " + m.Right),
            ByteLevel = true,
            PreTokenizer = _preTokenizer,
            Normalizer = null,
        };
        try
        {
            _bpe = BpeTokenizer.Create(options);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new TokenizerLoadException(file, "model", $"Microsoft.ML.Tokenizers rejected the BPE model ({ex.Message}).", ex);
        }
    }

    public int VocabSize => _vocab.Count;

    public int MaxId { get; }

    public void EncodeWord(ReadOnlySpan<char> word, List<int> ids)
    {
        if (word.IsEmpty) return;
        if (_ignoreMerges && TryWholeWord(word, out var id)) { ids.Add(id); return; }
        ids.AddRange(_bpe.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
    }

    public void EncodeSegment(string segment, HfPreTokenizer preTokenizer, List<int> ids)
    {
        if (segment.Length == 0) return;
        if (_preTokenizer is not null && ReferenceEquals(preTokenizer, _preTokenizer))
        {
            ids.AddRange(_bpe.EncodeToIds(segment, considerPreTokenization: true, considerNormalization: false));
            return;
        }
        var words = new List<(int Offset, int Length)>();
        preTokenizer.Split(segment, words);
        foreach (var (offset, length) in words) EncodeWord(segment.AsSpan(offset, length), ids);
    }

    private bool TryWholeWord(ReadOnlySpan<char> word, out int id)
    {
        Span<byte> bytes = stackalloc byte[256];
        if (System.Text.Encoding.UTF8.GetMaxByteCount(word.Length) > bytes.Length) { id = -1; return _vocab.TryGetId(ByteLevelAlphabet.Encode(word), out id); }
        var count = System.Text.Encoding.UTF8.GetBytes(word, bytes);
        Span<char> chars = stackalloc char[count];
        for (var i = 0; i < count; i++) chars[i] = ByteLevelAlphabet.ByteToChar(bytes[i]);
        return _vocab.TryGetId(chars, out id);
    }

    public bool TryGetId(string token, out int id) => _vocab.TryGetId(token, out id);

    public bool TryGetToken(int id, out string token) => _vocab.TryGetToken(id, out token);
}
