using System.Globalization;
using OrzDynamic.Core.Evaluation;

namespace OrzDynamic.Cli;

/// <summary>Reads <c>--prompt_template</c> (orz, chat or a template file) and <c>--chat_template_kwargs</c> (key=value …).</summary>
internal static class PromptTemplateArgument
{
    /// <summary>The <see cref="EvaluatorConfig.PromptTemplate"/> of the option's value: null for orz, "chat", or the file's text.</summary>
    /// <exception cref="CliInputException">The value is neither orz, chat nor a readable file.</exception>
    public static string? Read(string value)
    {
        if (value == EvaluatorConfig.OrzPromptTemplate) return null;
        if (value == EvaluatorConfig.ChatPromptTemplate) return value;
        if (!File.Exists(value))
            throw new CliInputException($"--prompt_template '{value}': expected orz, chat or a template file with {{prompt}}; no such file.");
        var text = File.ReadAllText(value);
        if (!text.Contains("{prompt}", StringComparison.Ordinal))
            throw new CliInputException($"--prompt_template '{value}': the template file has no {{prompt}} placeholder.");
        return text;
    }

    /// <summary>Name → value of each key=value: true/false, null, integers and finite numbers typed, anything else a string.</summary>
    /// <exception cref="CliInputException">A value without '=', an empty name, or a name given twice.</exception>
    public static IReadOnlyDictionary<string, object?> ParseKwargs(IEnumerable<string> values)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var raw in values)
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? "" : raw[..eq].Trim();
            if (key.Length == 0)
                throw new CliInputException($"--chat_template_kwargs '{raw}': expected key=value (e.g. enable_thinking=false).");
            if (result.ContainsKey(key)) throw new CliInputException($"--chat_template_kwargs sets '{key}' twice.");
            result[key] = Value(raw[(eq + 1)..]);
        }
        return result;
    }

    private static object? Value(string raw) => raw switch
    {
        "true" or "True" => true,
        "false" or "False" => false,
        "null" or "None" => null,
        _ when long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ when double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => raw,
    };
}
