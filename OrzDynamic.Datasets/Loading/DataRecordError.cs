namespace OrzDynamic.Datasets.Loading;

/// <summary>One problem found in a data file.</summary>
/// <param name="FilePath">The file.</param>
/// <param name="RecordIndex">0-based record index in the file, or null for a problem with the whole file.</param>
/// <param name="LineNumber">1-based line (JSON Lines files and JSON syntax errors), when known.</param>
/// <param name="Field">The offending field (e.g. <c>prompt[0].value</c>), or null when the record/file as a whole is wrong.</param>
/// <param name="Message">What is wrong.</param>
public sealed record DataRecordError(string FilePath, int? RecordIndex, int? LineNumber, string? Field, string Message)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var where = FilePath;
        if (LineNumber is not null) where += $":{LineNumber}";
        if (RecordIndex is not null) where += $" record {RecordIndex}";
        if (Field is not null) where += $" field '{Field}'";
        return $"{where}: {Message}";
    }
}
