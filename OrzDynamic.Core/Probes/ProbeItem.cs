namespace OrzDynamic.Core.Probes;

/// <summary>
/// A fixed (prompt, response) pair scored teacher-forced under many checkpoints: a reference checkpoint's answer or a
/// custom sentence. The response is given either as token ids (scored exactly as generated) or as text (encoded with
/// each checkpoint's tokenizer).
/// </summary>
public sealed record ProbeItem
{
    /// <summary>Where the pair comes from: the dataset of a reference answer, or a custom-sentence file stem.</summary>
    public required string Source { get; init; }

    /// <summary>Index of the record in its source (dataset record index or sentence index).</summary>
    public required int Index { get; init; }

    /// <summary>The prompt text (encoded with the scoring checkpoint's tokenizer, as the evaluator does).</summary>
    public required string Prompt { get; init; }

    /// <summary>The response as token ids; when null, <see cref="ResponseText"/> is encoded.</summary>
    public IReadOnlyList<int>? ResponseTokenIds { get; init; }

    /// <summary>The response as text (used when <see cref="ResponseTokenIds"/> is null).</summary>
    public string? ResponseText { get; init; }

    /// <summary>Whether the reference checkpoint's answer was judged correct (null for custom sentences).</summary>
    public bool? ReferenceCorrect { get; init; }

    /// <summary>Optional group (e.g. "chosen", "rejected", "rephrase"); groups are aggregated separately.</summary>
    public string? Group { get; init; }

    /// <summary>Optional label shown in legends.</summary>
    public string? Label { get; init; }

    /// <summary>"source#index": the key of the item in journals and in <c>--heatmap_samples</c>-style selections.</summary>
    public string Key => $"{Source}#{Index}";

    /// <summary>The stratum this item is aggregated into: the group, else correct / incorrect, else "all".</summary>
    public string Stratum => Group ?? (ReferenceCorrect is null ? Strata.All : ReferenceCorrect.Value ? Strata.Correct : Strata.Incorrect);
}
