using System.Security.Cryptography;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Datasets.Templates;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// The prompt template a run renders its questions with (ORZ, a text template, or the checkpoint's chat template with
/// the system prompt and template variables), and its fingerprint in the run manifest. A run resumed or sharded with
/// another template, system prompt, variables or chat template source is refused.
/// </summary>
internal static class PromptRendering
{
    /// <summary>The template of <paramref name="config"/> for questions encoded by <paramref name="tokenizer"/>.</summary>
    /// <exception cref="EvaluatorConfigException">The chat template is asked for and the checkpoint has none.</exception>
    public static PromptTemplate Template(EvaluatorConfig config, HfTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (!config.UsesChatTemplate)
            return config.PromptTemplate is null or EvaluatorConfig.OrzPromptTemplate ? PromptTemplate.Orz : PromptTemplate.FromText(config.PromptTemplate);
        if (!tokenizer.HasChatTemplate) throw NoChatTemplate(tokenizer.Config.TokenizerConfigPath ?? tokenizer.Source);
        var variables = config.ChatTemplateKwargs;
        return PromptTemplate.FromRenderer("chat template of " + (tokenizer.Config.ChatTemplatePath ?? tokenizer.Source),
            question => tokenizer.ApplyChatTemplate(Messages(config.SystemPrompt, question), addGenerationPrompt: true, variables));
    }

    /// <summary>The conversation of one question: the system message when given, then the question as the user's message.</summary>
    public static IReadOnlyList<ChatMessage> Messages(string? systemPrompt, string question) =>
        systemPrompt is null ? [new ChatMessage("user", question)] : [new ChatMessage("system", systemPrompt), new ChatMessage("user", question)];

    /// <summary>
    /// The manifest's <c>prompt_template</c> value: the template text for ORZ and text templates (as earlier
    /// manifests), and for the chat template "chat sha256:…" over the template source, the system prompt and the
    /// variables. The chat template source is <paramref name="tokenizer"/>'s, else read from the tokenizer directory.
    /// </summary>
    /// <exception cref="EvaluatorConfigException">The chat template is asked for and the checkpoint has none.</exception>
    public static string Fingerprint(EvaluatorConfig config, HfTokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.UsesChatTemplate)
            return config.PromptTemplate is null or EvaluatorConfig.OrzPromptTemplate ? PromptTemplate.OrzTemplateText : config.PromptTemplate;
        var configPath = Path.Combine(config.EffectiveTokenizerPath, HfTokenizer.TokenizerConfigFileName);
        var source = tokenizer is not null ? tokenizer.Config.ChatTemplate : HfTokenizerConfig.Load(configPath, null).ChatTemplate;
        if (source is null) throw NoChatTemplate(tokenizer?.Config.TokenizerConfigPath ?? tokenizer?.Source ?? configPath);
        var kwargs = new SortedDictionary<string, object?>(config.ChatTemplateKwargs.ToDictionary(), StringComparer.Ordinal);
        var text = JsonSerializer.Serialize(new object?[] { source, config.SystemPrompt, kwargs });
        return "chat sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Whether responses are split into think and answer segments (<see cref="EvaluatorConfig.ThinkSegments"/>, default: on with the chat template).</summary>
    public static bool ThinkSegmentsOn(EvaluatorConfig config) => config.ThinkSegments ?? config.UsesChatTemplate;

    /// <summary>True when <paramref name="prompt"/> leaves a <c>&lt;think&gt;</c> block open, so the response starts inside the reasoning.</summary>
    public static bool OpensThink(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var open = prompt.LastIndexOf(Tokenization.ThinkSegments.OpenTag, StringComparison.Ordinal);
        return open >= 0 && prompt.IndexOf(Tokenization.ThinkSegments.CloseTag, open, StringComparison.Ordinal) < 0;
    }

    private static EvaluatorConfigException NoChatTemplate(string where) => new(
        [$"PromptTemplate '{EvaluatorConfig.ChatPromptTemplate}': the checkpoint has no chat template ({where} has no chat_template and there is no chat_template.jinja beside it); use the orz template or a template file"]);
}
