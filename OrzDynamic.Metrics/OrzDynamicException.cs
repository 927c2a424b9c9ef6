namespace OrzDynamic;

/// <summary>
/// Base type of every error OrzDynamic raises for bad input or unusable files: malformed checkpoints, tokenizers, data
/// records, results files, configuration, safetensors and ELF files. Catch it to handle all of them; each subtype names
/// the file, record and field concerned. Programming errors (null arguments) and cancellation keep their .NET types.
/// OrzDynamic.Datasets, which does not depend on this package, has its own base for malformed data files,
/// <c>OrzDynamic.Datasets.DatasetException</c>: catch both to handle every bad-input error.
/// </summary>
public abstract class OrzDynamicException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The complete message, naming file, record and field.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    protected OrzDynamicException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
