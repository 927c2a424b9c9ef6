namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Thrown when chart or CSV input data is invalid. The message names the dataset, record and field concerned;
/// the same information is available in <see cref="Dataset"/>, <see cref="Record"/> and <see cref="Field"/>.
/// </summary>
public sealed class PlotDataException : OrzDynamicException
{
    /// <summary>Initializes a new instance of the <see cref="PlotDataException"/> class.</summary>
    /// <param name="dataset">The dataset concerned (may be empty when unknown).</param>
    /// <param name="record">The record concerned, e.g. "stratum Correct, metric A_norm".</param>
    /// <param name="field">The offending field, e.g. "Std".</param>
    /// <param name="problem">What is wrong with the field.</param>
    public PlotDataException(string dataset, string record, string field, string problem)
        : base($"Invalid plot data (dataset '{dataset}', {record}, field {field}): {problem}")
    {
        Dataset = dataset;
        Record = record;
        Field = field;
    }

    /// <summary>Gets the dataset concerned.</summary>
    public string Dataset { get; }

    /// <summary>Gets the record concerned.</summary>
    public string Record { get; }

    /// <summary>Gets the offending field.</summary>
    public string Field { get; }
}
