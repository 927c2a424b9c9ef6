namespace OrzDynamic.Core.Generation;

/// <summary>
/// What the prompt passes of generation cost: prefills computed (model passes over prompts), rows that took a shared
/// prefill instead of computing their own, and the wall time of the prefill phase (computed passes plus the copies of
/// shared ones). Accumulates over every run it is given to.
/// </summary>
internal sealed class PrefillStats
{
    /// <summary>Prompt passes run (a static batch's pass counts once; under continuous batching, one per prompt).</summary>
    public long Computed { get; private set; }

    /// <summary>Rows whose prompt went through a computed pass.</summary>
    public long ComputedRows { get; private set; }

    /// <summary>Prompt tokens of the computed passes, padding included.</summary>
    public long ComputedTokens { get; private set; }

    /// <summary>Rows that took the prefill of an earlier pass over the same prompt.</summary>
    public long SharedRows { get; private set; }

    /// <summary>Wall time of the prefill phase: computed passes and the copies of shared prefills.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>The part of <see cref="Elapsed"/> spent copying shared prefills.</summary>
    public TimeSpan SharedElapsed { get; private set; }

    /// <summary>Records a computed pass over <paramref name="rows"/> rows of <paramref name="tokens"/> tokens in all.</summary>
    public void AddComputed(long rows, long tokens, TimeSpan elapsed)
    {
        Computed++;
        ComputedRows += rows;
        ComputedTokens += tokens;
        Elapsed += elapsed;
    }

    /// <summary>Records <paramref name="rows"/> rows served from a shared prefill.</summary>
    public void AddShared(long rows, TimeSpan elapsed)
    {
        SharedRows += rows;
        Elapsed += elapsed;
        SharedElapsed += elapsed;
    }
}
