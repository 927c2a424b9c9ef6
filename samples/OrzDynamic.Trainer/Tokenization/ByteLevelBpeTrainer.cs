using OrzDynamic.Core.Tokenization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrzDynamic.Trainer.Tokenization;

/// <summary>
/// Learns a small byte-level BPE tokenizer from a corpus, deterministically: the corpus is split on added tokens,
/// pre-tokenized with the same regex that the written tokenizer.json uses, mapped to the byte-level alphabet, and the
/// most frequent adjacent pair (ties: ordinal order of the two token strings) is merged until the target vocabulary
/// size is reached. The result is written as tokenizer.json + tokenizer_config.json that <see cref="HfTokenizer"/>
/// (and Hugging Face tokenizers) load.
/// </summary>
public sealed class ByteLevelBpeTrainer
{
    private readonly ByteLevelBpeTrainerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a trainer.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (vocabulary too small, duplicate or empty added tokens, unknown eos/pad/bos).</exception>
    public ByteLevelBpeTrainer(ByteLevelBpeTrainerOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        var added = options.SpecialTokens.Concat(options.NonSpecialTokens).ToList();
        if (added.Any(string.IsNullOrEmpty)) throw new ArgumentException("Added tokens must not be empty.", nameof(options));
        if (added.Distinct(StringComparer.Ordinal).Count() != added.Count) throw new ArgumentException("Added tokens must be distinct.", nameof(options));
        if (options.VocabSize < 256 + added.Count)
            throw new ArgumentException($"VocabSize {options.VocabSize} is smaller than the 256 byte tokens plus {added.Count} added tokens.", nameof(options));
        foreach (var (name, value) in new[] { ("EosToken", options.EosToken), ("PadToken", options.PadToken), ("BosToken", options.BosToken) })
            if (value is not null && !added.Contains(value, StringComparer.Ordinal))
                throw new ArgumentException($"{name} '{value}' must be one of the special or non-special tokens.", nameof(options));
        if (options.MinPairFrequency < 1) throw new ArgumentException("MinPairFrequency must be at least 1.", nameof(options));
    }

    /// <summary>Learns the merges from <paramref name="corpus"/>.</summary>
    /// <param name="corpus">Training texts; added-token text inside them is not learned from.</param>
    /// <param name="progress">Receives the number of merges learned so far.</param>
    /// <param name="cancellationToken">Stops training between merges.</param>
    public TrainedByteLevelBpe Train(IEnumerable<string> corpus, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var specialTokens = _options.SpecialTokens.Select((t, i) => new AddedToken(-1 - i, t, Special: true));
        var plainTokens = _options.NonSpecialTokens.Select((t, i) => new AddedToken(-1000 - i, t, Special: false));

        // 1. Word frequencies in byte-level form.
        var wordCounts = HfTokenizer.CountByteLevelWords(corpus, PreTokenizerJson(_options.PreTokenizerPattern),
            specialTokens.Concat(plainTokens), _options.NfcNormalizer, cancellationToken);

        // 2. Symbols: ids 0..255 are the bytes in byte order.
        var tokens = new List<string>(_options.VocabSize);
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var b = 0; b < 256; b++)
        {
            var s = HfTokenizer.ByteLevelCharacter((byte)b).ToString();
            vocab[s] = b;
            tokens.Add(s);
        }
        var words = wordCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (Symbols: kv.Key.Select(c => vocab[c.ToString()]).ToList(), Count: kv.Value))
            .ToList();

        var pairCounts = new Dictionary<long, long>();
        var pairWords = new Dictionary<long, HashSet<int>>();
        for (var w = 0; w < words.Count; w++) AddPairs(words[w].Symbols, words[w].Count, w, pairCounts, pairWords);

        // 3. Merge loop.
        var merges = new List<(string Left, string Right)>();
        var targetModelSize = _options.VocabSize - _options.SpecialTokens.Count - _options.NonSpecialTokens.Count;
        while (tokens.Count < targetModelSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long best = -1;
            long bestCount = 0;
            foreach (var (pair, count) in pairCounts)
            {
                if (count < bestCount || count < _options.MinPairFrequency) continue;
                if (count == bestCount && best >= 0 && ComparePairs(pair, best, tokens) >= 0) continue;
                best = pair;
                bestCount = count;
            }
            if (best < 0) break;

            var left = (int)(best >> 32);
            var right = (int)(best & 0xFFFFFFFF);
            var mergedText = tokens[left] + tokens[right];
            if (!vocab.TryGetValue(mergedText, out var merged))
            {
                merged = tokens.Count;
                vocab[mergedText] = merged;
                tokens.Add(mergedText);
            }
            merges.Add((tokens[left], tokens[right]));

            foreach (var w in pairWords[best].Order().ToList())
            {
                var (symbols, count) = words[w];
                RemovePairs(symbols, count, pairCounts);
                var replaced = new List<int>(symbols.Count);
                for (var i = 0; i < symbols.Count; i++)
                {
                    if (i + 1 < symbols.Count && symbols[i] == left && symbols[i + 1] == right) { replaced.Add(merged); i++; }
                    else replaced.Add(symbols[i]);
                }
                words[w] = (replaced, count);
                AddPairs(replaced, count, w, pairCounts, pairWords);
            }
            pairWords.Remove(best);
            pairCounts.Remove(best);
            progress?.Report(merges.Count);
        }

        _logger.LogInformation("Trained byte-level BPE: {Words} distinct words, {Merges} merges, {Tokens} model tokens (target vocabulary {Target})",
            words.Count, merges.Count, tokens.Count, _options.VocabSize);

        var added = new List<AddedToken>();
        foreach (var t in _options.SpecialTokens) added.Add(new AddedToken(tokens.Count + added.Count, t, Special: true));
        foreach (var t in _options.NonSpecialTokens) added.Add(new AddedToken(tokens.Count + added.Count, t, Special: false));
        return new TrainedByteLevelBpe(_options, tokens, merges, added);
    }

    private static int ComparePairs(long a, long b, List<string> tokens)
    {
        var c = string.CompareOrdinal(tokens[(int)(a >> 32)], tokens[(int)(b >> 32)]);
        return c != 0 ? c : string.CompareOrdinal(tokens[(int)(a & 0xFFFFFFFF)], tokens[(int)(b & 0xFFFFFFFF)]);
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private static void AddPairs(List<int> symbols, long count, int word, Dictionary<long, long> pairCounts, Dictionary<long, HashSet<int>> pairWords)
    {
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            var key = Key(symbols[i], symbols[i + 1]);
            pairCounts[key] = pairCounts.GetValueOrDefault(key) + count;
            if (!pairWords.TryGetValue(key, out var set)) pairWords[key] = set = new HashSet<int>();
            set.Add(word);
        }
    }

    private static void RemovePairs(List<int> symbols, long count, Dictionary<long, long> pairCounts)
    {
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            var key = Key(symbols[i], symbols[i + 1]);
            var left = pairCounts[key] - count;
            if (left <= 0) pairCounts.Remove(key);
            else pairCounts[key] = left;
        }
    }

    /// <summary>The pre_tokenizer node the written tokenizer.json carries for <paramref name="pattern"/>.</summary>
    internal static JsonElement PreTokenizerJson(string pattern)
    {
        using var doc = JsonDocument.Parse(TrainedByteLevelBpe.PreTokenizerNode(pattern).ToJsonString());
        return doc.RootElement.Clone();
    }
}
