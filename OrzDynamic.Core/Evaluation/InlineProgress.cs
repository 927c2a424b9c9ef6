namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports synchronously on the calling thread (unlike
/// <see cref="Progress{T}"/>, which posts to the captured synchronization context): the value is handled before the
/// reporting code goes on.
/// </summary>
/// <typeparam name="T">The progress value.</typeparam>
/// <param name="report">Called with each value, on the reporting thread.</param>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
