namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// Character-level BPE with SentencePiece-style <c>byte_fallback</c> (Llama-1/2, Mistral, TinyLlama tokenizer.json).
/// Microsoft.ML.Tokenizers can only build its SentencePiece tokenizer from a SentencePiece protobuf model and its
/// <see cref="Microsoft.ML.Tokenizers.BpeTokenizer"/> has no byte fallback, so this merge loop is implemented here:
/// symbols start as Unicode scalar values (unknown ones become <c>&lt;0xXX&gt;</c> byte tokens or the unk token)
/// and the lowest-ranked adjacent pair (leftmost on ties) is merged until no merge applies.
/// </summary>
internal sealed class ByteFallbackBpeModel : ITokenModel
{
    private readonly VocabularyTable _vocab;
    private readonly Dictionary<long, (int Rank, int Merged)> _merges;
    private readonly bool _byteFallback;
    private readonly int? _unkId;
    private readonly bool _fuseUnk;
    private readonly int[] _byteIds = new int[256];

    public ByteFallbackBpeModel(VocabularyTable vocab, IReadOnlyList<(string Left, string Right)> merges, bool byteFallback, string? unkToken, bool fuseUnk, string file)
    {
        _vocab = vocab;
        MaxId = vocab.MaxId;
        _byteFallback = byteFallback;
        _fuseUnk = fuseUnk;
        if (unkToken is not null)
        {
            if (!vocab.TryGetId(unkToken, out var unk)) throw new TokenizerLoadException(file, "model.unk_token", $"'{unkToken}' is not in model.vocab.");
            _unkId = unk;
        }
        for (var b = 0; b < 256; b++)
            _byteIds[b] = vocab.TryGetId($"<0x{b:X2}>", out var id) ? id : -1;
        _merges = new Dictionary<long, (int, int)>(merges.Count);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            if (!vocab.TryGetId(left, out var l)) throw new TokenizerLoadException(file, $"model.merges[{rank}]", $"token '{left}' is not in model.vocab.");
            if (!vocab.TryGetId(right, out var r)) throw new TokenizerLoadException(file, $"model.merges[{rank}]", $"token '{right}' is not in model.vocab.");
            if (!vocab.TryGetId(left + right, out var merged)) throw new TokenizerLoadException(file, $"model.merges[{rank}]", $"merged token '{left + right}' is not in model.vocab.");
            _merges.TryAdd(Key(l, r), (rank, merged));
        }
    }

    public int VocabSize => _vocab.Count;

    public int MaxId { get; }

    public bool TryGetId(string token, out int id) => _vocab.TryGetId(token, out id);

    public bool TryGetToken(int id, out string token) => _vocab.TryGetToken(id, out token);

    public void EncodeWord(ReadOnlySpan<char> word, List<int> ids)
    {
        if (word.IsEmpty) return;
        var symbols = new List<int>(word.Length);
        Span<char> runeChars = stackalloc char[2];
        Span<byte> utf8 = stackalloc byte[4];
        var lastWasUnk = false;
        foreach (var rune in word.EnumerateRunes())
        {
            var n = rune.EncodeToUtf16(runeChars);
            if (_vocab.TryGetId(runeChars[..n], out var id)) { symbols.Add(id); lastWasUnk = false; continue; }
            if (_byteFallback)
            {
                var byteCount = rune.EncodeToUtf8(utf8);
                var all = true;
                for (var i = 0; i < byteCount; i++) all &= _byteIds[utf8[i]] >= 0;
                if (all)
                {
                    for (var i = 0; i < byteCount; i++) symbols.Add(_byteIds[utf8[i]]);
                    lastWasUnk = false;
                    continue;
                }
            }
            if (_unkId is null)
                throw new InvalidOperationException($"Character U+{rune.Value:X4} is not in the vocabulary and the tokenizer has neither byte fallback nor an unk token.");
            if (!(_fuseUnk && lastWasUnk)) symbols.Add(_unkId.Value);
            lastWasUnk = true;
        }
        Merge(symbols);
        ids.AddRange(symbols);
    }

    private void Merge(List<int> symbols)
    {
        var n = symbols.Count;
        if (n < 2) return;
        var id = symbols.ToArray();
        var next = new int[n];
        var prev = new int[n];
        var alive = new bool[n];
        for (var i = 0; i < n; i++) { next[i] = i + 1 < n ? i + 1 : -1; prev[i] = i - 1; alive[i] = true; }
        var queue = new PriorityQueue<(int Left, int LeftId, int RightId, int Merged), (int Rank, int Pos)>();
        void Push(int left)
        {
            if (left < 0) return;
            var right = next[left];
            if (right < 0) return;
            if (_merges.TryGetValue(Key(id[left], id[right]), out var m))
                queue.Enqueue((left, id[left], id[right], m.Merged), (m.Rank, left));
        }
        for (var i = 0; i < n - 1; i++) Push(i);
        while (queue.TryDequeue(out var item, out _))
        {
            var left = item.Left;
            if (!alive[left] || id[left] != item.LeftId) continue;
            var right = next[left];
            if (right < 0 || id[right] != item.RightId) continue;
            id[left] = item.Merged;
            alive[right] = false;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            Push(prev[left]);
            Push(left);
        }
        symbols.Clear();
        for (var i = 0; i >= 0 && i < n; i = next[i]) symbols.Add(id[i]);
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;
}
