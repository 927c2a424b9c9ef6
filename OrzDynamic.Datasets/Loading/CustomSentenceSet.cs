namespace OrzDynamic.Datasets.Loading;

/// <summary>The result of <see cref="CustomSentenceLoader.Load(string, bool, CancellationToken, bool)"/>.</summary>
/// <param name="Sentences">The sentences, in file order then record order.</param>
/// <param name="SkippedInvalidRecords">Malformed records skipped (only when skipping was requested).</param>
/// <param name="InvalidRecordErrors">The problems of the skipped records.</param>
public sealed record CustomSentenceSet(IReadOnlyList<CustomSentence> Sentences, int SkippedInvalidRecords, IReadOnlyList<DataRecordError> InvalidRecordErrors);
