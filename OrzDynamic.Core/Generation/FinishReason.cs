namespace OrzDynamic.Core.Generation;

/// <summary>Why a row stopped generating.</summary>
public enum FinishReason
{
    /// <summary>An eos token was produced (it is the last generated id).</summary>
    EndOfSequence,

    /// <summary><see cref="GenerationOptions.MaxNewTokens"/> was reached.</summary>
    MaxNewTokens,
}
