namespace OrzDynamic.Core.Tokenization;

/// <summary>The tokenizer.json <c>model</c>: turns one normalized, pre-tokenized word into ids.</summary>
internal interface ITokenModel
{
    /// <summary>Number of entries in the model vocabulary (added tokens not counted).</summary>
    int VocabSize { get; }

    /// <summary>Highest id in the model vocabulary.</summary>
    int MaxId { get; }

    /// <summary>Encodes <paramref name="word"/> and appends the ids to <paramref name="ids"/>.</summary>
    void EncodeWord(ReadOnlySpan<char> word, List<int> ids);

    /// <summary>
    /// Encodes a whole normalized segment, pre-tokenizing it with <paramref name="preTokenizer"/>. Models may do
    /// this in one library call instead of one call per word.
    /// </summary>
    void EncodeSegment(string segment, HfPreTokenizer preTokenizer, List<int> ids)
    {
        var words = new List<(int Offset, int Length)>();
        preTokenizer.Split(segment, words);
        foreach (var (offset, length) in words) EncodeWord(segment.AsSpan(offset, length), ids);
    }

    /// <summary>The id of vocabulary entry <paramref name="token"/>.</summary>
    bool TryGetId(string token, out int id);

    /// <summary>The vocabulary entry of <paramref name="id"/>.</summary>
    bool TryGetToken(int id, out string token);
}
