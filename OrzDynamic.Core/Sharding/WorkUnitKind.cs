namespace OrzDynamic.Core.Sharding;

/// <summary>What a work unit computes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkUnitKind>))]
public enum WorkUnitKind
{
    /// <summary>Generation batches of one dataset: generate, check, score, journal one record per sample.</summary>
    Samples,
    /// <summary>All custom sentence files of one checkpoint, scored teacher-forced.</summary>
    CustomSentences,
    /// <summary>
    /// The answer probes of one checkpoint (<c>--probe_answers_from</c>): every reference answer scored teacher-forced
    /// under it. Needs the reference answers: when the reference is a checkpoint of the plan, its samples units first.
    /// </summary>
    AnswerProbes,
}
