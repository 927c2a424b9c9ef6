using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// One answer to generate: sample number <paramref name="Number"/> (0 … K − 1) of the prompt <paramref name="Sample"/>.
/// Every draw has its own seeds, derived from (run seed, dataset, index, sample number); draw 0 uses the seeds of a
/// one-answer run, so K = 1 results are those of a run without several samples and a larger K extends a smaller one.
/// </summary>
internal readonly record struct SampleDraw(EvalSample Sample, int Number)
{
    /// <summary>The journal key of the draw: dataset, index, sample number.</summary>
    public (string Dataset, int Index, int Sample) Key => (Sample.DatasetName, Sample.Index, Number);

    /// <summary>Seed of the draw's sampling generator.</summary>
    public long GenerationSeed(int runSeed) => (uint)ForSample(RandomTokenStratum.SampleSeed(runSeed, "generate:" + Sample.DatasetName, Sample.Index), Number);

    /// <summary>Seed of the draw's random-token positions.</summary>
    public int RandomTokenSeed(int runSeed) => ForSample(RandomTokenStratum.SampleSeed(runSeed, Sample.DatasetName, Sample.Index), Number);

    /// <summary>
    /// The seed of sample <paramref name="number"/> derived from the seed of sample 0: sample 0 keeps it, a later
    /// sample mixes the number into it (FNV-1a over both as little-endian bytes, folded to 32 bits).
    /// </summary>
    public static int ForSample(int baseSeed, int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        if (number == 0) return baseSeed;
        ulong h = 14695981039346656037UL;
        void Mix(uint v)
        {
            for (int i = 0; i < 4; i++) { h ^= (v >> (8 * i)) & 0xff; h *= 1099511628211UL; }
        }
        Mix((uint)baseSeed);
        Mix((uint)number);
        return (int)(h ^ (h >> 32));
    }

    /// <summary>
    /// The draws of <paramref name="prompts"/> with <paramref name="samplesPerPrompt"/> answers each, as generation
    /// batches: each batch of <paramref name="batchSize"/> prompts (the fixed partition of the selection) becomes K
    /// batches, one per sample number, each holding that sample of every prompt of the batch. A draw's batch-mates are
    /// so the same for every K (and, for K = 1, the batches are the prompt batches).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<SampleDraw>> Batches(IReadOnlyList<EvalSample> prompts, int batchSize, int samplesPerPrompt)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerPrompt, 1);
        var batches = new List<IReadOnlyList<SampleDraw>>();
        for (int start = 0; start < prompts.Count; start += batchSize)
        {
            int end = Math.Min(prompts.Count, start + batchSize);
            for (int s = 0; s < samplesPerPrompt; s++)
            {
                var batch = new SampleDraw[end - start];
                for (int i = start; i < end; i++) batch[i - start] = new SampleDraw(prompts[i], s);
                batches.Add(batch);
            }
        }
        return batches;
    }
}
