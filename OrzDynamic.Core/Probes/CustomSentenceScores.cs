using OrzDynamic.Core.Evaluation;

namespace OrzDynamic.Core.Probes;

/// <summary>
/// Reads the per-sentence scores the evaluator wrote for a custom sentence file at one checkpoint
/// (<c>custom_sentence_&lt;stem&gt;.jsonl</c>) as <see cref="ProbeRecord"/>s, so custom sentences and answer probes share
/// aggregation, trends and charts. Nothing is scored again.
/// </summary>
internal static class CustomSentenceScores
{
    private sealed record Line
    {
        [JsonPropertyName("index")] public int Index { get; init; }
        [JsonPropertyName("group")] public string? Group { get; init; }
        [JsonPropertyName("label")] public string? Label { get; init; }
        [JsonPropertyName("prompt")] public string? Prompt { get; init; }
        [JsonPropertyName("response")] public string? Response { get; init; }
        [JsonPropertyName("ld_metrics")] public LdMetrics? LdMetrics { get; init; }
    }

    /// <summary>The records of sentence file <paramref name="stem"/> scored at <paramref name="checkpoint"/>.</summary>
    /// <param name="checkpointOutputDir">The checkpoint's output directory.</param>
    /// <param name="stem">File name of the sentence file without extension.</param>
    /// <param name="checkpoint">Checkpoint name stored in the records.</param>
    /// <exception cref="ProbeInputException">The file does not exist (the checkpoint was evaluated without that sentence file).</exception>
    /// <exception cref="ResultsFileException">A line is not a valid sentence score.</exception>
    public static IReadOnlyList<ProbeRecord> Read(string checkpointOutputDir, string stem, string checkpoint)
    {
        var path = Path.Combine(checkpointOutputDir, OutputLayout.CustomSentences(stem));
        if (!File.Exists(path))
            throw new ProbeInputException($"{path} does not exist: checkpoint '{checkpoint}' has no scores for custom sentence file '{stem}'.");
        var list = new List<ProbeRecord>();
        int lineNo = 0;
        foreach (var text in File.ReadAllLines(path, Encoding.UTF8))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var line = JsonlRecord.Parse<Line>(text, ResultsJournal.LineOptions, path, lineNo, "custom sentence score");
            if (line.LdMetrics is null) throw new ResultsFileException(path, lineNo, "custom sentence score has no 'ld_metrics'");
            var item = new ProbeItem { Source = stem, Index = line.Index, Prompt = line.Prompt ?? "", ResponseText = line.Response, Group = line.Group, Label = line.Label };
            list.Add(ProbeRecord.Of(item, checkpoint) with { LdMetrics = line.LdMetrics, Fingerprint = ProbeFingerprint.Of(item) });
        }
        return list;
    }
}
