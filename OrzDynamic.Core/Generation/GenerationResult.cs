namespace OrzDynamic.Core.Generation;

/// <summary>One generated row.</summary>
/// <param name="TokenIds">Generated ids (without the prompt; ends with the eos id when <see cref="FinishReason"/> is EndOfSequence).</param>
/// <param name="FinishReason">Why generation stopped.</param>
/// <param name="PromptLength">Number of prompt tokens (without padding).</param>
/// <param name="Text">Decoded text of the generated ids without the stopping eos, when a decoder was supplied.</param>
internal sealed record GenerationResult(IReadOnlyList<int> TokenIds, FinishReason FinishReason, int PromptLength, string? Text);
