namespace OrzDynamic.Core.Sharding;

/// <summary>A dataset of one checkpoint's selection, with the samples that never reached generation.</summary>
public sealed record PlanDataset
{
    /// <summary>Dataset name (data file name without extension).</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    /// <summary>Prompts over the length limit.</summary>
    [JsonPropertyName("skipped_too_long")] public int SkippedTooLong { get; init; }
    /// <summary>Malformed records skipped on request.</summary>
    [JsonPropertyName("skipped_bad_records")] public int SkippedBadRecords { get; init; }
    /// <summary>
    /// Name of the dataset's answer checker in the checkpoint's registry, recorded with several answers per prompt (the
    /// merge groups answers into maj@K classes with it); null otherwise.
    /// </summary>
    [JsonPropertyName("answer_checker")] public string? AnswerChecker { get; init; }
}
