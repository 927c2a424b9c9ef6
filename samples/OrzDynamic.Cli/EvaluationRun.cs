using System.Globalization;
using Microsoft.Extensions.Logging;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Study;
using OrzDynamic.Plotting.Charts;
using OrzDynamic.Plotting.Export;
using Spectre.Console;

namespace OrzDynamic.Cli;

/// <summary>Evaluates every checkpoint of the command line, then draws the multi-checkpoint trends.</summary>
internal sealed class EvaluationRun(CliSettings settings, IAnsiConsole console)
{
    /// <summary>The command line had no arguments at all (the demo banner says so only then).</summary>
    public bool NoArguments { get; init; }

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var configs = BuildConfigs(settings);
        foreach (var (_, config) in configs) config.Validate();   // every config checked before any model is loaded
        Preflight.Check(settings, configs);                         // outputs, every input file, every config.json

        // One writer per output directory: the run's root (trends and comparisons go there); each checkpoint's
        // Evaluator locks its own folder as well.
        using var writer = OutputDirectoryLock.Acquire(settings.OutputDir);
        var logPath = Path.Combine(settings.OutputDir, OutputLayout.LogFile(DateTime.Now));
        using var loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Information)
            .AddProvider(new FileLoggerProvider(logPath))
            .AddProvider(new ConsoleWarningLoggerProvider(console)));
        var log = loggerFactory.CreateLogger("OrzDynamic.Cli");
        log.LogInformation("OrzDynamic CLI: {Count} checkpoint(s), data: {Data}", configs.Count, string.Join(", ", settings.Data));
        if (settings.IsEmbeddedDefault)
            console.MarkupLine(NoArguments
                ? "[bold]No arguments: running the embedded demo[/] (tiny Qwen2-architecture checkpoints trained by the project; see README)."
                : "[bold]Running the embedded demo[/] with the options given (see README).");

        var charts = new PngChartWriter(loggerFactory: loggerFactory) { TrendErrorBars = settings.ErrorBarsCi ? TrendErrorBars.Ci : TrendErrorBars.Std };
        var probes = AnswerProbeStage.Create(settings, configs, loggerFactory, console);
        var all = new Dictionary<string, EvalResults>(StringComparer.Ordinal);
        var outputs = new List<(string Checkpoint, Evaluator Evaluator)>();
        var order = probes?.Order() ?? Enumerable.Range(0, configs.Count).ToArray();
        for (int n = 0; n < order.Count; n++)
        {
            int k = order[n];
            var (path, config) = configs[k];
            console.MarkupLine($"[bold]Checkpoint {n + 1}/{configs.Count}[/]: {Markup.Escape(path)}");
            var evaluator = await Evaluator.CreateAsync(config, loggerFactory, ct);
            evaluator.ChartWriter = charts;
            try
            {
                var results = await RunOneAsync(evaluator, n, configs.Count, ct);
                all[path] = results;
                ResultsTables.Write(console, results);
                WritePaths(evaluator);
                probes?.AfterCheckpoint(k, evaluator, ct);
            }
            finally
            {
                await evaluator.DisposeAsync();
            }
        }

        Finish(configs, all, charts, probes, loggerFactory, ct);
        console.MarkupLine($"  log        : {Markup.Escape(logPath)}");
        return ExitCodes.Ok;
    }

    /// <summary>The multi-checkpoint finish (comparisons, trends, fixed texts) over the checkpoints in the order given.</summary>
    private void Finish(IReadOnlyList<(string Path, EvaluatorConfig Config)> configs, Dictionary<string, EvalResults> all, PngChartWriter charts,
        AnswerProbeStage? probes, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        var checkpoints = configs.Where(c => all.ContainsKey(c.Path))
            .Select(c => new StudyCheckpoint(c.Path, c.Config.EffectiveCheckpointName, c.Config.OutputDir, all[c.Path])).ToArray();
        var study = MultiCheckpointStudy.Finish(settings.OutputDir, checkpoints, new StudyOptions
        {
            ConfidenceLevel = settings.ConfidenceLevel,
            Charts = charts,
            FixedResponseCharts = new FixedResponseChartWriter(loggerFactory.CreateLogger<FixedResponseChartWriter>()),
            CustomSentenceFiles = settings.CustomSentences,
            FixedItemLines = settings.FixedItemLines,
            Probes = probes?.ForStudy(settings.TokenizerPath),
            TrendSegment = settings.TrendSegment,
        }, loggerFactory, ct);
        if (study.Comparisons is { } comparisons)
        {
            console.MarkupLine("[bold]Trends across checkpoints[/]");
            foreach (var c in study.TrendFiles) console.MarkupLine($"  {(c.EndsWith(".csv", StringComparison.Ordinal) ? "trends.csv" : "chart     ")} : {Markup.Escape(c)}");
            ChangesTable.Write(console, comparisons, settings.AllComparisons ? ChangesTable.ReadAll(study.ComparisonFiles) : null);
            foreach (var c in study.ComparisonFiles) console.MarkupLine($"  comparisons: {Markup.Escape(c)}");
        }
        if (study.FixedResponseFiles.Count == 0) return;
        console.MarkupLine("[bold]Fixed texts across checkpoints[/]");
        foreach (var w in study.FixedResponseFiles.Distinct()) console.MarkupLine($"  {(w.EndsWith(".csv", StringComparison.Ordinal) ? "csv       " : "chart     ")} : {Markup.Escape(w)}");
    }

    private async Task<EvalResults> RunOneAsync(Evaluator evaluator, int index, int count, CancellationToken ct)
    {
        var name = evaluator.Config.EffectiveCheckpointName;
        if (!console.Profile.Capabilities.Interactive)
            return await evaluator.EvalAsync(new ProgressMilestones(console, $"[{index + 1}/{count}] {name}"), ct);
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"[[{index + 1}/{count}]] {Markup.Escape(name)}", maxValue: 1);
                var progress = new InlineProgress<EvalProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.TotalSamples);
                    task.Value = p.CompletedSamples;
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"[[{index + 1}/{count}]] {Markup.Escape(name)} · {p.Stage} · sample {p.CompletedSamples}/{p.TotalSamples} · {p.TokensPerSecond:0} tok/s");
                });
                var results = await evaluator.EvalAsync(progress, ct);
                task.Value = task.MaxValue;
                return results;
            });
    }

    private void WritePaths(Evaluator evaluator)
    {
        console.MarkupLine($"  results    : {Markup.Escape(evaluator.JournalPath)}");
        console.MarkupLine($"  summary    : {Markup.Escape(evaluator.SummaryPath)}");
        foreach (var c in evaluator.ChartPaths) console.MarkupLine($"  chart      : {Markup.Escape(c)}");
    }

    /// <summary>One evaluation config per checkpoint of the command line (also the input of a sharded plan).</summary>
    internal static List<(string Path, EvaluatorConfig Config)> BuildConfigs(CliSettings settings)
    {
        if (settings.CheckpointPaths.Count == 0)
            throw new CliInputException("--checkpoint_paths is required (run with no arguments for the embedded demo).");
        if (settings.Data.Count == 0 && settings.CustomSentences.Count == 0)
            throw new CliInputException("--data is required: give at least one evaluation file (or --custom_sentence files).");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<(string, EvaluatorConfig)>();
        foreach (var path in settings.CheckpointPaths)
        {
            var baseName = new DirectoryInfo(path.TrimEnd('/', '\\')).Name;
            var name = baseName;
            for (int i = 2; !names.Add(name); i++) name = $"{baseName}_{i}";
            list.Add((path, settings.Run with { ModelPath = path, CheckpointName = name, OutputDir = Path.Combine(settings.OutputDir, name) }));
        }
        return list;
    }
}
