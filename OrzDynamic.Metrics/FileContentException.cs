namespace OrzDynamic;

/// <summary>
/// A file whose content cannot be used: names the file, the part of it at fault (a field, tensor or line; null when
/// the problem is the file as a whole) and what is wrong. Each subtype says which kind of file it reads and words the
/// message.
/// </summary>
public abstract class FileContentException : OrzDynamicException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file.</param>
    /// <param name="part">The part of the file at fault, or null for the file as a whole.</param>
    /// <param name="reason">What is wrong, without the file and part.</param>
    /// <param name="message">The complete message, naming file and part.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    protected FileContentException(string filePath, string? part, string reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
        Part = part;
        Reason = reason;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>The part of the file at fault (a field, tensor or line), or null for the file as a whole.</summary>
    public string? Part { get; }

    /// <summary>What is wrong, without the file and part.</summary>
    public string Reason { get; }
}
