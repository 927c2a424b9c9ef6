namespace OrzDynamic.Core.Results;

/// <summary>The <c>finish_reason</c> strings of the results JSONL (<see cref="SampleRecord.FinishReason"/>).</summary>
internal static class FinishReasons
{
    /// <summary>An eos token ended the answer.</summary>
    public const string Eos = "eos";

    /// <summary>GenerateMaxLen was reached.</summary>
    public const string Length = "length";

    /// <summary>Prompt + answer reached the model's max_position_embeddings.</summary>
    public const string ContextLimit = "context_limit";
}
