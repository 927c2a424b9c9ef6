namespace OrzDynamic.Core.Results;

/// <summary>A results file (JSONL journal, run manifest) cannot be used; names the file and line.</summary>
internal sealed class ResultsFileException : FileContentException
{
    /// <summary>Creates the exception.</summary>
    public ResultsFileException(string path, int? line, string reason, Exception? inner = null)
        : base(path, line is null ? null : $"line {line}", reason, line is null ? $"{path}: {reason}" : $"{path}, line {line}: {reason}", inner)
    {
        Line = line;
    }

    /// <summary>1-based line number, when the problem is in one line.</summary>
    public int? Line { get; }
}
