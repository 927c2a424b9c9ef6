namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// A chat template could not be parsed or rendered: a syntax error, a Jinja feature this interpreter does not implement,
/// or an operation on values of the wrong type. Names the template (when known) and the 1-based line and column in the
/// template text where the fault was found.
/// </summary>
public class ChatTemplateException : OrzDynamicException
{
    /// <summary>Creates the exception for <paramref name="reason"/> at <paramref name="line"/>:<paramref name="column"/>.</summary>
    /// <param name="origin">Where the template came from (e.g. a tokenizer_config.json path), or null.</param>
    /// <param name="line">1-based line in the template text.</param>
    /// <param name="column">1-based column (UTF-16 code units) in that line.</param>
    /// <param name="reason">What went wrong.</param>
    public ChatTemplateException(string? origin, int line, int column, string reason)
        : this(origin, line, column, reason, "Chat template error")
    {
    }

    /// <summary>Creates the exception with a custom lead-in of the message (used by subtypes).</summary>
    protected ChatTemplateException(string? origin, int line, int column, string reason, string lead)
        : base(Format(origin, line, column, reason, lead))
    {
        Origin = origin;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>Where the template came from, or null.</summary>
    public string? Origin { get; }

    /// <summary>1-based line in the template text.</summary>
    public int Line { get; }

    /// <summary>1-based column (UTF-16 code units) in the line.</summary>
    public int Column { get; }

    /// <summary>What went wrong, without the location.</summary>
    public string Reason { get; }

    private static string Format(string? origin, int line, int column, string reason, string lead)
    {
        var where = origin is null ? $"line {line}, column {column}" : $"{origin}, line {line}, column {column}";
        return $"{lead} at {where}: {OneLine(reason)}";
    }

    private static string OneLine(string text) => text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}

/// <summary>
/// The template itself called <c>raise_exception(message)</c>, e.g. because the conversation's roles do not alternate.
/// <see cref="TemplateMessage"/> holds the template's message.
/// </summary>
internal sealed class ChatTemplateRaisedException : ChatTemplateException
{
    /// <summary>Creates the exception for the template's <paramref name="templateMessage"/>.</summary>
    public ChatTemplateRaisedException(string? origin, int line, int column, string templateMessage)
        : base(origin, line, column, templateMessage, "Chat template raised an exception")
    {
        TemplateMessage = templateMessage;
    }

    /// <summary>The message the template passed to <c>raise_exception</c>.</summary>
    public string TemplateMessage { get; }
}
