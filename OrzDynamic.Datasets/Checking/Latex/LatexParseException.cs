namespace OrzDynamic.Datasets.Checking.Latex;

/// <summary>Thrown when a string is not LaTeX math the <see cref="LatexParser"/> understands.</summary>
internal sealed class LatexParseException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> at <paramref name="position"/>.</summary>
    public LatexParseException(string message, string source, int position)
        : base($"{message} at offset {position} in \"{(source.Length > 80 ? source[..80] + "…" : source)}\"")
    {
        Input = source;
        Position = position;
    }

    /// <summary>The input that failed to parse.</summary>
    public string Input { get; }

    /// <summary>Offset of the problem in <see cref="Input"/>.</summary>
    public int Position { get; }
}
