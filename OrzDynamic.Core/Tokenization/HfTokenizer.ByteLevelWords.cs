namespace OrzDynamic.Core.Tokenization;

public sealed partial class HfTokenizer
{
    /// <summary>
    /// The word frequencies a byte-level BPE model is learned from, split exactly as a tokenizer.json with the same
    /// <paramref name="preTokenizer"/> splits text: each text is cut at <paramref name="addedTokens"/> (their text is
    /// not counted), optionally NFC-normalised, pre-tokenized, and each word mapped to the byte-level alphabet.
    /// </summary>
    /// <param name="corpus">Training texts (null or empty ones are skipped).</param>
    /// <param name="preTokenizer">A tokenizer.json <c>pre_tokenizer</c> node.</param>
    /// <param name="addedTokens">Tokens matched before pre-tokenization (ids are not used).</param>
    /// <param name="nfcNormalize">Apply an NFC normalizer to the plain text first.</param>
    /// <param name="cancellationToken">Stops between texts.</param>
    /// <returns>Each byte-level word with its count.</returns>
    /// <exception cref="OrzDynamicException"><paramref name="preTokenizer"/> is not a supported pre-tokenizer.</exception>
    public static IReadOnlyDictionary<string, long> CountByteLevelWords(IEnumerable<string?> corpus, JsonElement preTokenizer,
        IEnumerable<AddedToken> addedTokens, bool nfcNormalize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(addedTokens);
        var matcher = new AddedTokenMatcher(addedTokens);
        var splitter = HfPreTokenizer.FromJson(preTokenizer, "(pre_tokenizer)");
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var ranges = new List<(int Offset, int Length)>();
        foreach (var text in corpus)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (string.IsNullOrEmpty(text)) continue;
            foreach (var segment in matcher.Split(text))
            {
                if (segment.Token is not null) continue;
                var piece = text.Substring(segment.Start, segment.Length);
                if (nfcNormalize) piece = piece.Normalize(NormalizationForm.FormC);
                ranges.Clear();
                splitter.Split(piece, ranges);
                foreach (var (offset, length) in ranges)
                {
                    var word = ByteLevelAlphabet.Encode(piece.AsSpan(offset, length));
                    counts[word] = counts.GetValueOrDefault(word) + 1;
                }
            }
        }
        return counts;
    }

    /// <summary>The character that stands for <paramref name="value"/> in byte-level vocabularies (the GPT-2 byte alphabet).</summary>
    public static char ByteLevelCharacter(byte value) => ByteLevelAlphabet.ByteToChar(value);
}
