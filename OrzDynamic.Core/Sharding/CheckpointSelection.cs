namespace OrzDynamic.Core.Sharding;

/// <summary>What one checkpoint evaluates: its selected samples in batch order and its number of custom sentences.</summary>
/// <param name="Samples">(dataset, record index) of every selected sample, in the order generation batches take them.</param>
/// <param name="CustomSentences">Custom sentences scored for this checkpoint (0 = none).</param>
/// <param name="SamplesPerPrompt">Answers generated per prompt (K): a unit of n prompts produces n·K records.</param>
internal sealed record CheckpointSelection(IReadOnlyList<(string Dataset, int Index)> Samples, int CustomSentences, int SamplesPerPrompt = 1);
