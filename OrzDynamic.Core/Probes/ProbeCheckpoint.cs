namespace OrzDynamic.Core.Probes;

/// <summary>A checkpoint to score probes under.</summary>
/// <param name="Name">Label (also the sub-directory of its journal), e.g. "iter1200".</param>
/// <param name="ModelPath">Checkpoint directory (Hugging Face format).</param>
/// <param name="Iteration">Training iteration (x axis of the trends).</param>
public sealed record ProbeCheckpoint(string Name, string ModelPath, int Iteration);
