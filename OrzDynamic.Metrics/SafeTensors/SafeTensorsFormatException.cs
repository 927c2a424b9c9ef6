namespace OrzDynamic.Metrics.SafeTensors;

/// <summary>A safetensors file is malformed or does not hold what the caller asked for.</summary>
public sealed class SafeTensorsFormatException : FileContentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file that was being read or written.</param>
    /// <param name="tensorName">The tensor concerned, or null when the problem is in the file as a whole.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public SafeTensorsFormatException(string filePath, string? tensorName, string reason, Exception? inner = null)
        : base(filePath, tensorName, reason, tensorName is null
            ? $"Invalid safetensors file '{filePath}': {reason}"
            : $"Invalid safetensors file '{filePath}', tensor '{tensorName}': {reason}", inner)
    {
    }

    /// <summary>The tensor concerned, or null when the problem is in the file's header as a whole.</summary>
    public string? TensorName => Part;
}
