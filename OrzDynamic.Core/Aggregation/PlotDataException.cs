namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Thrown when chart or CSV input data is invalid. The message names the dataset, record and field concerned;
/// the same information is available in <see cref="Dataset"/>, <see cref="Record"/> and <see cref="Field"/>.
/// </summary>
/// <param name="dataset">The dataset concerned (may be empty when unknown).</param>
/// <param name="record">The record concerned, e.g. "stratum Correct, metric A_norm".</param>
/// <param name="field">The offending field, e.g. "Std".</param>
/// <param name="problem">What is wrong with the field.</param>
public sealed class PlotDataException(string dataset, string record, string field, string problem)
    : OrzDynamicException($"Invalid plot data (dataset '{dataset}', {record}, field {field}): {problem}")
{
    /// <summary>Gets the dataset concerned.</summary>
    public string Dataset { get; } = dataset;

    /// <summary>Gets the record concerned.</summary>
    public string Record { get; } = record;

    /// <summary>Gets the offending field.</summary>
    public string Field { get; } = field;
}
