namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// The random-token stratum: a fixed number of distinct scored response positions per sample, drawn with a seeded
/// RNG (the seed mixes the run seed with the sample's dataset and index, so resumed runs draw the same positions),
/// each scored alone — the metrics the batch function returns when only that one position carries a label.
/// </summary>
internal static class RandomTokenStratum
{
    /// <summary>
    /// Deterministic 32-bit seed for one sample, folded to an int from a 64-bit FNV-1a-style hash of the run seed, each
    /// UTF-16 code unit of the dataset name and the index (each mixed as 8 little-endian bytes). It uses the FNV prime
    /// 1099511628211 but not the FNV offset basis: its start value 1469598103934665603 is the basis 14695981039346656037
    /// without its last digit. The value is kept as it is because it fixes every sample's seed (answers, random-token
    /// positions) and so the results of earlier runs.
    /// </summary>
    public static int SampleSeed(int runSeed, string dataset, int index)
    {
        ulong h = 1469598103934665603UL;
        void Mix(ulong v)
        {
            for (int i = 0; i < 8; i++) { h ^= (v >> (8 * i)) & 0xff; h *= 1099511628211UL; }
        }
        Mix((ulong)(uint)runSeed);
        foreach (var ch in dataset) Mix(ch);
        Mix((ulong)(uint)index);
        return (int)(h ^ (h >> 32));
    }

    /// <summary>
    /// Picks up to <paramref name="count"/> distinct valid positions of <paramref name="traces"/> and turns each into
    /// single-position metrics.
    /// </summary>
    /// <param name="traces">Per-position traces of the teacher-forced pass (position i predicts sequence[i + 1]).</param>
    /// <param name="count">Positions wanted; fewer when the response is shorter.</param>
    /// <param name="seed">Seed of the draw.</param>
    /// <param name="vocabSize">Vocabulary size (for A_norm).</param>
    /// <param name="legacyOrzClamps">Use the ORZ fork's A_norm clamps.</param>
    /// <param name="decode">Decodes one token id to text.</param>
    public static SampledTokens Draw(IReadOnlyList<TokenTrace> traces, int count, int seed, long vocabSize, bool legacyOrzClamps,
        Func<int, string> decode)
    {
        var valid = traces.Where(t => t.IsValid).ToArray();
        var order = Enumerable.Range(0, valid.Length).ToArray();
        new Random(seed).Shuffle(order);
        var chosen = order.Take(count).Order().Select(i => valid[i]).ToArray();
        return new SampledTokens
        {
            Positions = chosen.Select(t => (int)t.Position + 1).ToArray(),
            TokenIds = chosen.Select(t => (int)t.Label).ToArray(),
            Tokens = chosen.Select(t => decode((int)t.Label)).ToArray(),
            LogProbs = chosen.Select(t => t.LogProbLabel).ToArray(),
            Probs = chosen.Select(t => Math.Exp(t.LogProbLabel)).ToArray(),
            Metrics = chosen.Select(t => LdMetrics.From(LearningDynamics.SinglePositionMetrics(t, vocabSize, legacyOrzClamps))).ToArray(),
        };
    }
}
