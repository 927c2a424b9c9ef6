using OrzDynamic.Core.Generation;

namespace OrzDynamic.Core.Evaluation;

/// <summary>The <c>finish_reason</c> strings of the results JSONL.</summary>
internal static class FinishReasons
{
    /// <summary>An eos token ended the answer.</summary>
    public const string Eos = "eos";

    /// <summary>GenerateMaxLen was reached.</summary>
    public const string Length = "length";

    /// <summary>Prompt + answer reached the model's max_position_embeddings.</summary>
    public const string ContextLimit = "context_limit";

    /// <summary>The string of <paramref name="reason"/>.</summary>
    public static string Of(FinishReason reason) => reason switch
    {
        FinishReason.EndOfSequence => Eos,
        FinishReason.ContextLimit => ContextLimit,
        _ => Length,
    };
}
