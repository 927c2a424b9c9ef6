namespace OrzDynamic.Datasets.Loading;

/// <summary>
/// The reading and error discipline the loaders share (<see cref="EvalDataLoader"/>, <see cref="CustomSentenceLoader"/>):
/// each file is read into raw JSON records (a JSON array or JSON Lines); problems with a whole file always refuse the
/// load, problems with records refuse it too (one <see cref="DataFormatException"/> listing every problem of every
/// file) unless invalid records are skipped, each with one warning.
/// </summary>
internal sealed class RecordFiles(ILogger logger)
{
    /// <summary>Problems with whole files (unreadable, not JSON, invalid UTF-8).</summary>
    public List<DataRecordError> FileErrors { get; } = [];

    /// <summary>Problems with single records, from reading and from the loader's own checks.</summary>
    public List<DataRecordError> RecordErrors { get; } = [];

    /// <summary>
    /// Reads the records of <paramref name="path"/>; its problems join <see cref="FileErrors"/> and
    /// <see cref="RecordErrors"/>, and replaced invalid UTF-8 is logged.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="replaceInvalidUtf8">Replace invalid UTF-8 with U+FFFD (warning) instead of refusing the file.</param>
    /// <param name="records">Records in the file, those that are not valid JSON included.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The records that are valid JSON.</returns>
    public List<RawJsonRecord> Read(string path, bool replaceInvalidUtf8, out int records, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var readErrors = new List<DataRecordError>();
        var replaced = new List<(long Offset, int Line)>();
        var raw = JsonRecordReader.Read(path, readErrors, cancellationToken, replaceInvalidUtf8, replaced);
        Utf8Warnings.Log(logger, path, replaced);
        FileErrors.AddRange(readErrors.Where(e => e.RecordIndex is null));
        var recordErrors = readErrors.Where(e => e.RecordIndex is not null).ToList();
        RecordErrors.AddRange(recordErrors);
        records = raw.Count + recordErrors.Count;
        return raw;
    }

    /// <summary>
    /// Ends the load: throws when a file is bad or a record is and <paramref name="skipInvalidRecords"/> is off, else
    /// logs one warning per skipped record.
    /// </summary>
    /// <param name="skipInvalidRecords">Skip bad records instead of refusing the load.</param>
    /// <param name="recordKind">What a record is, for the warning (e.g. "record", "sentence record").</param>
    /// <returns>The number of records skipped.</returns>
    /// <exception cref="DataFormatException">Every problem, when the load is refused.</exception>
    public int Finish(bool skipInvalidRecords, string recordKind)
    {
        if (FileErrors.Count > 0 || (RecordErrors.Count > 0 && !skipInvalidRecords))
            throw new DataFormatException(FileErrors.Concat(RecordErrors).ToList());
        var skipped = RecordErrors.GroupBy(e => (e.FilePath, e.RecordIndex)).ToList();
        foreach (var group in skipped)
            logger.LogWarning("Skipping malformed {Kind} {Record} of {File}: {Problems}", recordKind, group.Key.RecordIndex, group.Key.FilePath,
                string.Join("; ", group.Select(e => (e.Field is null ? "" : e.Field + ": ") + e.Message)));
        return skipped.Count;
    }
}
