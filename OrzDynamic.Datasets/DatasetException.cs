namespace OrzDynamic.Datasets;

/// <summary>
/// Base type of every error OrzDynamic.Datasets raises for bad input: malformed data and sentence files. Each subtype
/// names the file, record and field concerned. The package depends on nothing but the logging abstractions, so this
/// base is its own; the other OrzDynamic packages derive their input errors from <c>OrzDynamic.OrzDynamicException</c>
/// (OrzDynamic.Metrics), and code that handles every bad-input error of OrzDynamic catches both.
/// Programming errors (null arguments) and cancellation keep their .NET types.
/// </summary>
public abstract class DatasetException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The complete message, naming file, record and field.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    protected DatasetException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
