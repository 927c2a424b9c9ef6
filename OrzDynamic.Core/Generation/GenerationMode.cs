namespace OrzDynamic.Core.Generation;

/// <summary>How answers are batched during generation.</summary>
public enum GenerationMode
{
    /// <summary>
    /// Continuous batching (<see cref="ContinuousBatchGenerator"/>): a finished answer's slot is refilled at once. Fastest;
    /// an answer depends on its batch-mates only through float rounding, so a resumed run may differ in rare answers.
    /// </summary>
    Continuous,

    /// <summary>
    /// Static batches over a fixed partition of the selected samples, each run until its last answer ends
    /// (<see cref="TextGenerator"/>). A resumed run regenerates a partly done batch with the same batch-mates, so its
    /// answers are bit-identical to an uninterrupted run's.
    /// </summary>
    Static,
}
