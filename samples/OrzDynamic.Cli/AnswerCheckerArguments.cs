using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Cli;

/// <summary>Reads <c>--answer_checker</c> values: <c>dataset=name</c> for one dataset, <c>name</c> alone for all of them.</summary>
internal static class AnswerCheckerArguments
{
    /// <summary>Dataset → checker name (key <see cref="AnswerCheckerRegistry.AllDatasets"/> for a bare name).</summary>
    /// <exception cref="CliInputException">A value is empty, has an empty side, or selects twice for the same dataset.</exception>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in values)
        {
            var value = raw.Trim();
            int eq = value.IndexOf('=');
            var dataset = eq < 0 ? AnswerCheckerRegistry.AllDatasets : value[..eq].Trim();
            var name = (eq < 0 ? value : value[(eq + 1)..]).Trim();
            if (dataset.Length == 0 || name.Length == 0)
                throw new CliInputException($"--answer_checker '{raw}': expected dataset=name or a checker name alone (e.g. math500=math, or math).");
            if (result.TryGetValue(dataset, out var earlier))
                throw new CliInputException($"--answer_checker selects twice for {(eq < 0 ? "all datasets" : $"dataset '{dataset}'")}: '{earlier}' and '{name}'.");
            result[dataset] = name;
        }
        return result;
    }
}
