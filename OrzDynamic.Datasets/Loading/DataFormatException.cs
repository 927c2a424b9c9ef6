namespace OrzDynamic.Datasets.Loading;

/// <summary>
/// Thrown when data files are malformed. <see cref="Errors"/> lists every problem found (all files, all records), each
/// naming file, record index and field.
/// </summary>
public sealed class DataFormatException : DatasetException
{
    /// <summary>Creates the exception for <paramref name="errors"/> (at least one).</summary>
    public DataFormatException(IReadOnlyList<DataRecordError> errors)
        : base(BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<DataRecordError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<DataRecordError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0) throw new ArgumentException("At least one error is required.", nameof(errors));
        var files = errors.Select(e => e.FilePath).Distinct().Count();
        return $"{errors.Count} problem(s) in {files} data file(s):{Environment.NewLine}" +
               string.Join(Environment.NewLine, errors.Select(e => "  " + e));
    }
}
