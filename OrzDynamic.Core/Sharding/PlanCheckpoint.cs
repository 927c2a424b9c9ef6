using OrzDynamic.Core.Evaluation;

namespace OrzDynamic.Core.Sharding;

/// <summary>One checkpoint of a plan: its full evaluation config, its result-relevant settings and its selection.</summary>
public sealed record PlanCheckpoint
{
    /// <summary>The checkpoint path as given (trends take <c>iter(\d+)</c> from it, as in a single-process run).</summary>
    [JsonPropertyName("key")] public string Key { get; init; } = "";
    /// <summary>Checkpoint label; its outputs go to <c>DIR/&lt;name&gt;/</c>.</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    /// <summary>The evaluation config (paths absolute).</summary>
    [JsonPropertyName("config")] public EvaluatorConfig Config { get; init; } = new();
    /// <summary>Every result-relevant setting (the run manifest plus the selection settings), hashed into the plan.</summary>
    [JsonPropertyName("settings")] public SortedDictionary<string, string> Settings { get; init; } = new(StringComparer.Ordinal);
    /// <summary>Selected samples.</summary>
    [JsonPropertyName("selected")] public int Selected { get; init; }
    /// <summary>Fingerprint of the selection ((dataset, index) in batch order); shards refuse data that changed.</summary>
    [JsonPropertyName("selection_fingerprint")] public string SelectionFingerprint { get; init; } = "";
    /// <summary>Datasets in file order.</summary>
    [JsonPropertyName("datasets")] public IReadOnlyList<PlanDataset> Datasets { get; init; } = [];
    /// <summary>Custom sentence file stems, in file order.</summary>
    [JsonPropertyName("custom_sentence_stems")] public IReadOnlyList<string> CustomSentenceStems { get; init; } = [];
}
