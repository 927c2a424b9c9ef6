namespace OrzDynamic.Core.Generation;

/// <summary>Why a row stopped generating.</summary>
internal enum FinishReason
{
    /// <summary>An eos token was produced (it is the last generated id).</summary>
    EndOfSequence,

    /// <summary><see cref="GenerationOptions.MaxNewTokens"/> was reached.</summary>
    MaxNewTokens,

    /// <summary>
    /// Prompt plus generated tokens reached the model's position limit (<see cref="GenerationOptions.MaxPositions"/>,
    /// by default max_position_embeddings): the model is never run beyond the positions it was trained for.
    /// </summary>
    ContextLimit,
}
