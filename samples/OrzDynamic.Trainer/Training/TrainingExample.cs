namespace OrzDynamic.Trainer.Training;

/// <summary>
/// One supervised example: the prompt tokens (context only, no loss) followed by the response tokens (trained on,
/// normally ending with the eos id). Tokenised separately, exactly as the evaluator tokenises prompt and generation.
/// </summary>
/// <param name="PromptIds">Prompt token ids.</param>
/// <param name="ResponseIds">Response token ids (at least one).</param>
public sealed record TrainingExample(IReadOnlyList<int> PromptIds, IReadOnlyList<int> ResponseIds)
{
    /// <summary>Total length in tokens.</summary>
    public int Length => PromptIds.Count + ResponseIds.Count;
}
