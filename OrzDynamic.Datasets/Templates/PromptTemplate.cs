using System.Text;

namespace OrzDynamic.Datasets.Templates;

/// <summary>
/// Wraps a question into the text the model is prompted with. <see cref="Orz"/> is the Python ORZ tool's template
/// (byte-identical); custom templates use the placeholders <c>{prompt}</c> (required) and <c>{bos_token}</c>.
/// Placeholders are substituted in a single pass, so placeholder-like text inside a question is left alone.
/// </summary>
public sealed class PromptTemplate
{
    /// <summary>Placeholder for the question text.</summary>
    public const string PromptPlaceholder = "{prompt}";

    /// <summary>Placeholder for the tokenizer's beginning-of-sequence token text (empty when it has none).</summary>
    public const string BosPlaceholder = "{bos_token}";

    /// <summary>The Python tool's template text.</summary>
    public const string OrzTemplateText =
        "{bos_token}A conversation between User and Assistant. The User asks a question, and the Assistant solves it. " +
        "The Assistant first thinks about the reasoning process in the mind and then provides the User with the answer. " +
        "The reasoning process is enclosed within <think> </think> and answer is enclosed within <answer> </answer> tags, " +
        "respectively, i.e., <think> reasoning process here </think> <answer> \\boxed{final answer} </answer>. " +
        "User: You must put your answer inside <answer> </answer> tags, i.e., <answer> \\boxed{final answer} </answer>. " +
        "And your final answer will be extracted automatically by the \\boxed{} tag.\n" +
        "This is the problem:\n{prompt}\nAssistant: <think>";

    private readonly Func<string, string>? _renderer;

    private PromptTemplate(string text, Func<string, string>? renderer = null)
    {
        Text = text;
        _renderer = renderer;
    }

    /// <summary>The ORZ template (the default).</summary>
    public static PromptTemplate Orz { get; } = new(OrzTemplateText);

    /// <summary>The template text with placeholders (for a template made with <see cref="FromRenderer"/>: its description).</summary>
    public string Text { get; }

    /// <summary>Creates a user-supplied template.</summary>
    /// <exception cref="ArgumentException">When <paramref name="text"/> does not contain <c>{prompt}</c>.</exception>
    public static PromptTemplate FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains(PromptPlaceholder, StringComparison.Ordinal))
            throw new ArgumentException($"A prompt template must contain the placeholder {PromptPlaceholder}.", nameof(text));
        return new PromptTemplate(text);
    }

    /// <summary>
    /// A template rendered by <paramref name="render"/> (question → prompt text), e.g. a checkpoint's chat template;
    /// <paramref name="description"/> is its <see cref="Text"/>. The bos token is the renderer's business.
    /// </summary>
    public static PromptTemplate FromRenderer(string description, Func<string, string> render)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(render);
        return new PromptTemplate(description, render);
    }

    /// <summary>Renders the template for <paramref name="question"/> with <paramref name="bosToken"/> (null → empty).</summary>
    public string Render(string question, string? bosToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (_renderer is not null) return _renderer(question);
        var sb = new StringBuilder(Text.Length + question.Length + 8);
        int i = 0;
        while (i < Text.Length)
        {
            if (string.CompareOrdinal(Text, i, PromptPlaceholder, 0, PromptPlaceholder.Length) == 0)
            {
                sb.Append(question);
                i += PromptPlaceholder.Length;
            }
            else if (string.CompareOrdinal(Text, i, BosPlaceholder, 0, BosPlaceholder.Length) == 0)
            {
                sb.Append(bosToken ?? string.Empty);
                i += BosPlaceholder.Length;
            }
            else sb.Append(Text[i++]);
        }
        return sb.ToString();
    }

    /// <summary>Renders the template with the bos token of <paramref name="tokenizer"/> (empty when null or it has none).</summary>
    public string Render(string question, IPromptTokenizer? tokenizer) => Render(question, tokenizer?.BosToken);

    /// <inheritdoc />
    public override string ToString() => Text;
}
