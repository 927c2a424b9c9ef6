namespace OrzDynamic.Core.Probes;

/// <summary>One fixed response scored under one checkpoint: a line of a probe journal.</summary>
public sealed record ProbeRecord
{
    /// <summary>Source of the item (dataset or custom-sentence file stem).</summary>
    [JsonPropertyName("source")] public string Source { get; init; } = "";

    /// <summary>Index of the item in its source.</summary>
    [JsonPropertyName("index")] public int Index { get; init; }

    /// <summary>The checkpoint that scored it.</summary>
    [JsonPropertyName("checkpoint")] public string Checkpoint { get; init; } = "";

    /// <summary>Whether the reference answer was correct (absent for custom sentences).</summary>
    [JsonPropertyName("ref_correct")] public bool? ReferenceCorrect { get; init; }

    /// <summary>The item's group, if any.</summary>
    [JsonPropertyName("group")] public string? Group { get; init; }

    /// <summary>The item's label, if any.</summary>
    [JsonPropertyName("label")] public string? Label { get; init; }

    /// <summary>Content hash of the item (prompt and response); a resumed run refuses a journal whose items changed.</summary>
    [JsonPropertyName("fingerprint")] public string Fingerprint { get; init; } = "";

    /// <summary>Metrics of the whole response under this checkpoint.</summary>
    [JsonPropertyName("ld_metrics")] public LdMetrics? LdMetrics { get; init; }

    /// <summary>The response token ids that were scored.</summary>
    [JsonPropertyName("token_ids")] public IReadOnlyList<int> TokenIds { get; init; } = [];

    /// <summary>log p(token) of each response token under this checkpoint (NaN-free; one per token id).</summary>
    [JsonPropertyName("log_probs")] public IReadOnlyList<double> LogProbs { get; init; } = [];

    /// <summary>"source#index".</summary>
    [JsonIgnore] public string Key => $"{Source}#{Index}";

    /// <summary>The stratum the record is aggregated into (see <see cref="ProbeItem.Stratum"/>).</summary>
    [JsonIgnore] public string Stratum => Group ?? (ReferenceCorrect is null ? Strata.All : ReferenceCorrect.Value ? Strata.Correct : Strata.Incorrect);

    /// <summary>
    /// The record of <paramref name="item"/> scored under <paramref name="checkpoint"/>, with the item's key (source,
    /// index) and stratum fields (reference correctness, group, label); the caller adds the scores.
    /// </summary>
    internal static ProbeRecord Of(ProbeItem item, string checkpoint) => new()
    {
        Source = item.Source, Index = item.Index, Checkpoint = checkpoint,
        ReferenceCorrect = item.ReferenceCorrect, Group = item.Group, Label = item.Label,
    };

    /// <summary>How probe records are stored in a probe journal (<c>probes_&lt;set&gt;.jsonl</c>), keyed by <see cref="Key"/>.</summary>
    internal static Results.JournalFormat<string, ProbeRecord> JournalFormat { get; } = new(
        "probe record", r => r.Key, "source", r => !string.IsNullOrEmpty(r.Source), r => $"probe {r.Key}", "that item will be scored again");
}
