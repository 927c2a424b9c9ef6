namespace OrzDynamic.Metrics.SafeTensors;

/// <summary>A safetensors file is malformed or does not hold what the caller asked for.</summary>
public sealed class SafeTensorsFormatException : OrzDynamicException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file that was being read or written.</param>
    /// <param name="tensorName">The tensor concerned, or null when the problem is in the file as a whole.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public SafeTensorsFormatException(string filePath, string? tensorName, string reason, Exception? inner = null)
        : base(Compose(filePath, tensorName, reason), inner)
    {
        FilePath = filePath;
        TensorName = tensorName;
        Reason = reason;
    }

    /// <summary>The file that was being read or written.</summary>
    public string FilePath { get; }

    /// <summary>The tensor concerned, or null when the problem is in the file's header as a whole.</summary>
    public string? TensorName { get; }

    /// <summary>What is wrong, without the file and tensor names.</summary>
    public string Reason { get; }

    private static string Compose(string filePath, string? tensorName, string reason) =>
        tensorName is null
            ? $"Invalid safetensors file '{filePath}': {reason}"
            : $"Invalid safetensors file '{filePath}', tensor '{tensorName}': {reason}";
}
