using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// Answer checkers by name. The built-in checkers are registered as <see cref="Math"/>, <see cref="Orz"/>,
/// <see cref="MultipleChoice"/> and <see cref="TextGame"/>; applications add their own <see cref="IAnswerChecker"/> implementations with
/// <see cref="Register(string, Func{IAnswerChecker})"/> and select a checker per dataset by name
/// (<see cref="ForDatasets"/>). A dataset without an explicit choice gets <see cref="DefaultNameFor"/>: multiple choice
/// when its samples carry choices, text game when its name mentions a text game (jericho, textworld, zork…), math
/// otherwise. Names are case-insensitive.
/// </summary>
/// <example>
/// <code>
/// var registry = new AnswerCheckerRegistry().Register("exact", () => new MyExactMatchChecker());
/// var checkers = registry.ForDatasets(samples, new Dictionary&lt;string, string&gt; { ["my_qa"] = "exact" });
/// </code>
/// </example>
public sealed class AnswerCheckerRegistry
{
    /// <summary>Name of <see cref="MathAnswerChecker"/> (free-form answers; the default for math datasets).</summary>
    public const string Math = "math";

    /// <summary>Name of <see cref="OrzAnswerChecker"/> (the Python ORZ tool's checker: boxed answers inside answer tags).</summary>
    public const string Orz = "orz";

    /// <summary>Name of <see cref="MultipleChoiceChecker"/>.</summary>
    public const string MultipleChoice = "multiple_choice";

    /// <summary>Name of <see cref="TextGameChecker"/>.</summary>
    public const string TextGame = "text_game";

    /// <summary>Key of a selection that applies to every dataset without a selection of its own.</summary>
    public const string AllDatasets = "*";

    private static readonly string[] TextGameNameHints = ["jericho", "textworld", "text_game", "textgame", "text-game", "zork"];

    private readonly Dictionary<string, Func<IAnswerChecker>> _factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>Creates a registry holding the built-in checkers.</summary>
    /// <param name="mathTimeout">Time limit of one math check (default 1 s, like the Python tool).</param>
    /// <param name="loggerFactory">Creates the loggers of the built-in checkers (math check timeouts are logged).</param>
    public AnswerCheckerRegistry(TimeSpan? mathTimeout = null, ILoggerFactory? loggerFactory = null)
    {
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        if (mathTimeout is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(mathTimeout), "The timeout must be positive.");
        _factories[Math] = () => new MathAnswerChecker(mathTimeout, logger: factory.CreateLogger<MathAnswerChecker>());
        _factories[Orz] = () => new OrzAnswerChecker(mathTimeout, logger: factory.CreateLogger<OrzAnswerChecker>());
        _factories[MultipleChoice] = () => new MultipleChoiceChecker();
        _factories[TextGame] = () => new TextGameChecker();
    }

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate) return _factories.Keys.Order(StringComparer.OrdinalIgnoreCase).ToArray();
        }
    }

    /// <summary>
    /// Registers <paramref name="factory"/> under <paramref name="name"/>; it is called once per dataset that selects the
    /// name. Registering a name again (a built-in one too) replaces the earlier registration.
    /// </summary>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, contains '=' or ',' or surrounding spaces, or is <see cref="AllDatasets"/>.</exception>
    public AnswerCheckerRegistry Register(string name, Func<IAnswerChecker> factory)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(factory);
        lock (_gate) _factories[name] = factory;
        return this;
    }

    /// <summary>Registers one shared <paramref name="checker"/> instance under <paramref name="name"/> (it must be safe to share).</summary>
    /// <returns>This registry, for chaining.</returns>
    public AnswerCheckerRegistry Register(string name, IAnswerChecker checker)
    {
        ArgumentNullException.ThrowIfNull(checker);
        return Register(name, () => checker);
    }

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate) return _factories.ContainsKey(name);
    }

    /// <summary>A checker registered under <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No checker has that name (the message lists the registered names).</exception>
    /// <exception cref="InvalidOperationException">The registered factory returned null.</exception>
    public IAnswerChecker Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Func<IAnswerChecker>? factory;
        lock (_gate) _factories.TryGetValue(name, out factory);
        if (factory is null)
            throw new KeyNotFoundException($"Unknown answer checker '{name}'; known checkers: {string.Join(", ", Names)}.");
        return factory() ?? throw new InvalidOperationException($"The factory registered for answer checker '{name}' returned null.");
    }

    /// <summary>The default checker name for a dataset (the heuristic used when nothing is selected).</summary>
    public static string DefaultNameFor(string datasetName, IEnumerable<EvalSample> samples)
    {
        ArgumentNullException.ThrowIfNull(datasetName);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Any(s => s.Choices is { Count: > 0 })) return MultipleChoice;
        var lower = datasetName.ToLowerInvariant();
        if (TextGameNameHints.Any(lower.Contains)) return TextGame;
        return Math;
    }

    /// <summary>
    /// The checker name selected for <paramref name="datasetName"/>: its entry in <paramref name="selection"/>, else the
    /// <see cref="AllDatasets"/> entry, else <see cref="DefaultNameFor"/>.
    /// </summary>
    public static string SelectName(string datasetName, IEnumerable<EvalSample> samples, IReadOnlyDictionary<string, string>? selection)
    {
        ArgumentNullException.ThrowIfNull(datasetName);
        if (selection is not null)
        {
            if (selection.TryGetValue(datasetName, out var own)) return own;
            if (selection.TryGetValue(AllDatasets, out var all)) return all;
        }
        return DefaultNameFor(datasetName, samples);
    }

    /// <summary>One checker per dataset of <paramref name="samples"/>, chosen by <see cref="SelectName"/>.</summary>
    /// <param name="samples">The samples (grouped by <see cref="EvalSample.DatasetName"/>).</param>
    /// <param name="selection">Dataset name → checker name; the key <see cref="AllDatasets"/> applies to every other dataset.</param>
    /// <exception cref="KeyNotFoundException">A selected name is not registered.</exception>
    /// <exception cref="DataFormatException">A dataset checked by <see cref="MathAnswerChecker"/> has gold answers that yield no answer (each error names file, record and field).</exception>
    public IReadOnlyDictionary<string, IAnswerChecker> ForDatasets(IEnumerable<EvalSample> samples, IReadOnlyDictionary<string, string>? selection = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var result = new Dictionary<string, IAnswerChecker>(StringComparer.Ordinal);
        var errors = new List<DataRecordError>();
        foreach (var group in samples.GroupBy(s => s.DatasetName))
        {
            var checker = Resolve(SelectName(group.Key, group, selection));
            if (checker is MathAnswerChecker math) errors.AddRange(math.ValidateGoldAnswers(group));
            result[group.Key] = checker;
        }
        if (errors.Count > 0) throw new DataFormatException(errors);
        return result;
    }

    /// <summary>Problems with a dataset → checker selection (unknown checker names, empty entries), empty when it is valid.</summary>
    public IReadOnlyList<string> ValidateSelection(IReadOnlyDictionary<string, string> selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var errors = new List<string>();
        foreach (var (dataset, name) in selection)
        {
            if (string.IsNullOrWhiteSpace(dataset)) errors.Add("an answer checker is selected for an empty dataset name");
            else if (string.IsNullOrWhiteSpace(name)) errors.Add($"the answer checker for dataset '{dataset}' is empty");
            else if (!Contains(name))
                errors.Add($"unknown answer checker '{name}' for {(dataset == AllDatasets ? "all datasets" : $"dataset '{dataset}'")}; known checkers: {string.Join(", ", Names)}");
        }
        return errors;
    }

    private static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Trim() != name || name.Contains('=') || name.Contains(',') || name == AllDatasets)
            throw new ArgumentException($"'{name}' cannot be an answer checker name (empty, surrounding spaces, '=', ',' or '*').", nameof(name));
    }
}
