using System.Text.Json.Serialization;

namespace OrzDynamic.Core.Sharding;

/// <summary>What a work unit computes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkUnitKind>))]
public enum WorkUnitKind
{
    /// <summary>Generation batches of one dataset: generate, check, score, journal one record per sample.</summary>
    Samples,
    /// <summary>All custom sentence files of one checkpoint, scored teacher-forced.</summary>
    CustomSentences,
}
