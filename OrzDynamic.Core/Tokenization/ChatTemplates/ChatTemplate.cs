using OrzDynamic.Core.Tokenization.ChatTemplates;

namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// A Hugging Face chat template (the Jinja <c>chat_template</c> of tokenizer_config.json), parsed once and rendered
/// for conversations. Implements the Jinja subset real chat templates use — <c>if/elif/else</c>, <c>for</c> (with
/// <c>loop.*</c>, inline <c>if</c>, <c>else</c>, <c>break</c>/<c>continue</c>), <c>set</c> (names, tuples, namespace
/// attributes, blocks), macros, expressions with slicing, string and dict methods, filters, <c>is</c> tests,
/// <c>raise_exception</c> and <c>{%- -%}</c> whitespace control — with the output, byte for byte, of
/// <c>@huggingface/jinja</c> (the engine of transformers.js), including its <c>trim_blocks</c>/<c>lstrip_blocks</c>
/// preprocessing and <c>tojson</c> formatting. Anything outside that subset fails with a
/// <see cref="ChatTemplateException"/> naming the line and column; it never renders a guess. Thread-safe: one parsed
/// template can render concurrently.
/// </summary>
public sealed class ChatTemplate
{
    private readonly TemplateSource _source;
    private readonly List<Node> _program;

    private ChatTemplate(string source, string? origin, TemplateSource preprocessed, List<Node> program)
    {
        Source = source;
        Origin = origin;
        _source = preprocessed;
        _program = program;
    }

    /// <summary>The template text as given.</summary>
    public string Source { get; }

    /// <summary>Where the template came from (used in error messages), or null.</summary>
    public string? Origin { get; }

    /// <summary>Parses <paramref name="source"/>.</summary>
    /// <exception cref="ChatTemplateException">Syntax error or unsupported statement, with its line and column.</exception>
    public static ChatTemplate Parse(string source) => Parse(source, origin: null);

    /// <summary>Parses <paramref name="source"/>; <paramref name="origin"/> (e.g. a tokenizer_config.json path) is named in errors.</summary>
    /// <exception cref="ChatTemplateException">Syntax error or unsupported statement, with its line and column.</exception>
    public static ChatTemplate Parse(string source, string? origin)
    {
        ArgumentNullException.ThrowIfNull(source);
        var preprocessed = TemplateSource.Preprocess(source);
        var tokens = TemplateLexer.Tokenize(preprocessed, origin);
        var program = TemplateParser.Parse(tokens, preprocessed, origin);
        return new ChatTemplate(source, origin, preprocessed, program);
    }

    /// <summary>
    /// Renders the template for <paramref name="messages"/> (the <c>messages</c> variable, each as
    /// <c>{"role", "content"}</c>) with <c>add_generation_prompt</c> = <paramref name="addGenerationPrompt"/> and any
    /// further <paramref name="variables"/> (e.g. <c>bos_token</c>, <c>enable_thinking</c>, <c>tools</c>): strings,
    /// numbers, booleans, null, lists, string-keyed dictionaries, <see cref="ChatMessage"/> or
    /// <see cref="System.Text.Json.JsonElement"/>.
    /// </summary>
    /// <exception cref="ChatTemplateRaisedException">The template called <c>raise_exception</c>.</exception>
    /// <exception cref="ChatTemplateException">A type error or unsupported feature met while rendering, with its line and column.</exception>
    /// <exception cref="ArgumentException">A variable redefines <c>messages</c>, <c>add_generation_prompt</c> or a built-in name, or has an unusable type.</exception>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var scope = new TemplateScope(null);
        TemplateGlobals.Declare(scope, () => DateTime.Now);
        scope.Set("messages", new TArray(messages.Select(m => (TValue)TemplateValueConverter.Message(m)).ToList()));
        scope.Set("add_generation_prompt", TBool.Of(addGenerationPrompt));
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
            {
                if (name is "messages" or "add_generation_prompt" || TemplateGlobals.Names.Contains(name))
                    throw new ArgumentException($"Template variable '{name}' is set by ChatTemplate.Render itself and cannot be passed in variables.", nameof(variables));
                scope.Set(name, TemplateValueConverter.Convert(value, name));
            }
        }
        return new TemplateInterpreter(_source, Origin).Render(_program, scope);
    }
}
