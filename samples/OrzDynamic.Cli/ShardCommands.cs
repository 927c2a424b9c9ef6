using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Sharding;
using OrzDynamic.Plotting.Charts;
using OrzDynamic.Plotting.Export;

namespace OrzDynamic.Cli;

/// <summary>
/// The sharded-run commands: <c>shard plan</c>, <c>shard run</c>, <c>shard status</c>, <c>merge</c> and
/// <c>slurm submit</c>. Bad input (including an incomplete plan at merge) exits 2 with a one-line message.
/// </summary>
internal static class ShardCommands
{
    public static void Register(RootCommand root, CommandLineDefinition definition, CancellationTokenSource cts)
    {
        var shards = new Option<int>("--shards") { Description = "Number of shards (array tasks).", Required = true };
        var shard = new Command("shard", "Sharded evaluation without a scheduler: plan, run one shard, status.");
        shard.Subcommands.Add(PlanCommand(definition, shards));
        shard.Subcommands.Add(RunCommand(cts));
        shard.Subcommands.Add(StatusCommand());
        root.Subcommands.Add(shard);
        root.Subcommands.Add(MergeCommand(cts));
        var slurm = new Command("slurm", "Run a sharded evaluation on a Slurm cluster.");
        slurm.Subcommands.Add(SubmitCommand(definition, shards));
        root.Subcommands.Add(slurm);
    }

    private static Command PlanCommand(CommandLineDefinition definition, Option<int> shards)
    {
        var plan = new Command("plan", "Write DIR/plan.json (DIR = --output_dir) for the usual run flags, without running anything.");
        AddRunOptions(plan, definition);
        plan.Options.Add(shards);
        plan.SetAction((r, _) => Guard(() =>
        {
            var (dir, p) = MakePlan(r, definition, shards);
            Console.WriteLine($"plan: {ShardLayout.PlanPath(dir)} ({p.Units.Count} units over {p.ShardCount} shards; samples per shard: {string.Join(" ", p.WorkPerShard())})");
            Console.WriteLine($"run:  orz-dynamic shard run --plan {ShardLayout.PlanPath(dir)} --index K   (K = 0 … {p.ShardCount - 1}), then: orz-dynamic merge {dir}");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return plan;
    }

    private static Command RunCommand(CancellationTokenSource cts)
    {
        var planOption = new Option<string>("--plan") { Description = "DIR/plan.json of the sharded run.", Required = true };
        var index = new Option<int?>("--index") { Description = "Shard index (default: $SLURM_ARRAY_TASK_ID, then $JOB_COMPLETION_INDEX)." };
        var run = new Command("run", "Run one shard of a plan (resumable; writes only its own journals).");
        run.Options.Add(planOption);
        run.Options.Add(index);
        run.SetAction((r, _) => Guard(async () =>
        {
            var planPath = r.GetValue(planOption)!;
            int k = r.GetValue(index) ?? ShardRunner.IndexFromEnvironment()
                ?? throw new CliInputException("no shard index: pass --index K or set SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX.");
            using var loggerFactory = ConsoleLogging();
            try
            {
                var result = await ShardRunner.RunAsync(planPath, k, loggerFactory, cancellationToken: cts.Token);
                Console.WriteLine($"shard {result.Shard}: {result.Units} unit(s), {result.AlreadyComplete} already complete, {result.SamplesWritten} sample(s) written" +
                                  (result.Waiting > 0 ? $"; {result.Waiting} answer-probe unit(s) wait for the reference answers: run this shard again when the other shards are done" : ""));
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"shard {k}: cancelled; finished samples are journaled, rerun the shard to resume.");
                return ExitCodes.Cancelled;
            }
        }));
        return run;
    }

    private static Command StatusCommand()
    {
        var statusDir = new Argument<string>("DIR") { Description = "Output directory holding plan.json." };
        var status = new Command("status", "Show which units of a plan are complete.");
        status.Arguments.Add(statusDir);
        status.SetAction((r, _) => Guard(() =>
        {
            var dir = r.GetValue(statusDir)!;
            var p = ShardPlan.Load(ShardLayout.PlanPath(dir));
            var units = PlanStatus.Read(dir, p);
            foreach (var g in units.GroupBy(u => u.Unit.Shard).OrderBy(g => g.Key))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"shard {g.Key}: {g.Count(u => u.IsComplete)}/{g.Count()} units complete, {g.Sum(u => Math.Min(u.Done, u.Unit.Samples))}/{g.Sum(u => u.Unit.Samples)} samples"));
            int missing = units.Count(u => !u.IsComplete);
            Console.WriteLine(missing == 0 ? "all units complete: run `orz-dynamic merge " + dir + "`" : $"{missing} unit(s) incomplete");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return status;
    }

    private static Command MergeCommand(CancellationTokenSource cts)
    {
        var mergeDir = new Argument<string>("DIR") { Description = "Output directory holding plan.json and shards/." };
        var partial = new Option<bool>("--partial") { Description = "Aggregate what exists when units are missing; summaries are marked partial." };
        var itemLines = new Option<int>("--fixed_item_lines") { Description = "As for a run: single-text lines per fixed-response trend chart.", DefaultValueFactory = _ => Defaults.FixedItemLines };
        var errorBars = new Option<string?>("--error_bars") { Description = "Bands of the trend charts: std or ci (default: what the plan recorded from the run flags, else std)." };
        var merge = new Command("merge", "Merge the shard journals into the outputs of a single-process run.");
        merge.Arguments.Add(mergeDir);
        merge.Options.Add(partial);
        merge.Options.Add(itemLines);
        merge.Options.Add(errorBars);
        merge.SetAction((r, _) => Guard(() =>
        {
            var dir = r.GetValue(mergeDir)!;
            using var loggerFactory = ConsoleLogging();
            var bands = TrendBands(r.GetValue(errorBars) ?? ShardPlan.Load(ShardLayout.PlanPath(dir)).ErrorBars);
            var result = PlanMerger.Merge(dir, new MergeOptions
            {
                Partial = r.GetValue(partial),
                ChartWriter = new PngChartWriter(loggerFactory: loggerFactory) { TrendErrorBars = bands },
                FixedResponseChartWriter = new FixedResponseChartWriter(loggerFactory.CreateLogger<FixedResponseChartWriter>()),
                FixedItemLines = r.GetValue(itemLines),
            }, loggerFactory, cts.Token);
            Console.WriteLine($"merged {result.Records} record(s) of {result.Checkpoints.Count} checkpoint(s) into {dir}{(result.IsPartial ? $" (PARTIAL: {result.Missing.Count} unit(s) missing)" : "")}");
            foreach (var f in result.Files) Console.WriteLine($"  {f}");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return merge;
    }

    private static Command SubmitCommand(CommandLineDefinition definition, Option<int> shards)
    {
        var partition = new Option<string?>("--partition") { Description = "Slurm partition." };
        var gres = new Option<string?>("--gres") { Description = "Generic resources per shard task, e.g. gpu:1." };
        var time = new Option<string?>("--time") { Description = "Time limit per task, e.g. 04:00:00." };
        var cpus = new Option<int?>("--cpus_per_task") { Description = "CPUs per shard task." };
        var mem = new Option<string?>("--mem") { Description = "Memory per shard task, e.g. 32G." };
        var sbatchArg = new Option<string[]>("--sbatch_arg") { Description = "Extra #SBATCH argument (repeatable), e.g. --sbatch_arg=--account=lab.", AllowMultipleArgumentsPerToken = false };
        var dryRun = new Option<bool>("--dry_run") { Description = "Write plan and scripts, submit nothing." };
        var launcher = new Option<string?>("--launcher")
        {
            Description = "Program the scripts run (a .dll runs under dotnet). Default: the installed tool orz-dynamic when it is on PATH, else this build.",
        };
        var submit = new Command("submit", "Plan the run, then submit a Slurm job array (one task per shard) and an afterok merge job. Rerun to resubmit only unfinished shards.");
        AddRunOptions(submit, definition);
        foreach (var o in new Option[] { shards, partition, gres, time, cpus, mem, sbatchArg, dryRun, launcher }) submit.Options.Add(o);
        submit.SetAction((r, _) => Guard(() =>
        {
            bool dry = r.GetValue(dryRun);
            if (!dry) SlurmSubmitter.RequireOnPath("sbatch");
            var (dir, p) = MakePlan(r, definition, shards);
            var options = new SlurmOptions
            {
                Launcher = Launcher(r.GetValue(launcher)),
                Partition = r.GetValue(partition),
                Gres = r.GetValue(gres),
                Time = r.GetValue(time),
                CpusPerTask = r.GetValue(cpus),
                Mem = r.GetValue(mem),
                ExtraArgs = r.GetValue(sbatchArg) ?? [],
                // --error_bars is recorded in the plan; given again (e.g. changed on a resubmission) it is passed on explicitly.
                MergeArgs = ["--fixed_item_lines", r.GetValue(definition.FixedItemLines).ToString(CultureInfo.InvariantCulture),
                    .. r.GetResult(definition.ErrorBars) is { Implicit: false } ? new[] { "--error_bars", r.GetValue(definition.ErrorBars)! } : []],
                DryRun = dry,
            };
            var s = SlurmSubmitter.Submit(dir, p, options);
            Console.WriteLine($"plan:          {ShardLayout.PlanPath(dir)} ({p.Units.Count} units, {p.ShardCount} shards)");
            Console.WriteLine($"array script:  {s.ArrayScript}");
            Console.WriteLine($"merge script:  {s.MergeScript}");
            if (dry)
            {
                Console.WriteLine($"dry run: nothing submitted; shards with unfinished units: {(s.Shards.Count == 0 ? "none" : SlurmSubmitter.Ranges(s.Shards))}" +
                                  (s.ProbeShards.Count == 0 ? "" : $"; then again, for the answer probes (afterok): {SlurmSubmitter.Ranges(s.ProbeShards)}"));
                Console.WriteLine($"by hand:       {s.WatchCommand}");
                return Task.FromResult(ExitCodes.Ok);
            }
            Console.WriteLine(s.ArrayJobId is null ? "array job:     none (every unit is complete)" : $"array job:     {s.ArrayJobId} (shards {SlurmSubmitter.Ranges(s.Shards)})");
            if (s.ProbeArrayJobId is not null)
                Console.WriteLine($"probe array:   {s.ProbeArrayJobId} (shards {SlurmSubmitter.Ranges(s.ProbeShards)} again for the answer probes{(s.ArrayJobId is null ? "" : $", afterok:{s.ArrayJobId}")})");
            Console.WriteLine($"merge job:     {s.MergeJobId}{((s.ProbeArrayJobId ?? s.ArrayJobId) is { } after ? $" (afterok:{after})" : "")}");
            Console.WriteLine($"watch:         {s.WatchCommand}   (units: orz-dynamic shard status {dir})");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return submit;
    }

    private static void AddRunOptions(Command command, CommandLineDefinition d)
    {
        foreach (var o in d.RunOptions) command.Options.Add(o);
    }

    private static (string Dir, ShardPlan Plan) MakePlan(ParseResult r, CommandLineDefinition definition, Option<int> shards)
    {
        var settings = definition.Read(r, embeddedDefault: false);
        settings = StaticBatching(r, definition, settings);
        var configs = EvaluationRun.BuildConfigs(settings);
        foreach (var (_, config) in configs) config.Validate();
        Evaluator.CheckCheckpoints(configs.Select(c => c.Config));   // every checkpoint's files, before the plan is written
        var dir = Path.GetFullPath(settings.OutputDir);
        // --error_bars and --heatmap_samples change only the charts: recorded for the merge, outside the settings hash.
        var plan = ShardPlanBuilder.Create(configs, r.GetValue(shards), dir) with
        {
            ErrorBars = settings.ErrorBarsCi ? "ci" : "std",
            HeatmapSamples = settings.HeatmapSamples,
        };
        plan = WithAnswerProbes(plan, settings);
        return (dir, ShardPlanBuilder.WriteOrReuse(plan, dir));
    }

    /// <summary>
    /// <c>--probe_answers_from</c> in a plan: resolved as a single run resolves it (last, first, a checkpoint of the run,
    /// or an earlier output directory, whose answers are checked now and fixed by hash), one probe unit per checkpoint.
    /// </summary>
    private static ShardPlan WithAnswerProbes(ShardPlan plan, CliSettings settings)
    {
        using var quiet = LoggerFactory.Create(_ => { });
        var configs = plan.Checkpoints.Select(c => (c.Key, c.Config)).ToList();
        if (AnswerProbeStage.Create(settings, configs, quiet, CliConsole.Create()) is not { } stage) return plan;
        var external = stage.ReferenceIndex is null;
        var probes = new PlanProbes
        {
            AnswersFrom = settings.ProbeAnswersFrom!,
            Reference = stage.ReferenceName,
            ReferenceCheckpoint = stage.ReferenceIndex,
            ReferenceDir = external ? Path.GetFullPath(stage.ReferenceDir) : null,
            ReferenceSha256 = external ? PlanProbes.HashOf(stage.ReferenceDir) : null,
            SetName = stage.SetName,
            Datasets = OrzDynamic.Datasets.Loading.EvalDataLoader.ExpandPaths(configs[0].Config.EvalPromptData)
                .Select(Path.GetFileNameWithoutExtension).Distinct().ToArray()!,
        };
        return ShardPlanBuilder.WithAnswerProbes(plan, probes, external ? stage.Items.Count : null);
    }

    /// <summary>The trend-chart band of an <c>--error_bars</c> value (null: the default, ± std).</summary>
    private static TrendErrorBars TrendBands(string? errorBars) => errorBars?.Trim().ToLowerInvariant() switch
    {
        null or "" or "std" => TrendErrorBars.Std,
        "ci" => TrendErrorBars.Ci,
        var other => throw new CliInputException($"--error_bars must be 'std' or 'ci', got '{other}'."),
    };

    /// <summary>
    /// Sharded runs use static batching: fixed batches are what makes every shard's answers bit-identical to a
    /// single-process run. The CLI default (continuous) is replaced with a note; an explicit --batching continuous is refused.
    /// </summary>
    private static CliSettings StaticBatching(ParseResult r, CommandLineDefinition definition, CliSettings settings)
    {
        if (settings.Run.GenerationMode == GenerationMode.Static) return settings;
        if (r.GetResult(definition.Batching) is { Implicit: false })
            throw new CliInputException($"--batching {r.GetValue(definition.Batching)} is not supported by sharded runs: they use --batching static, " +
                                        "the mode whose answers are bit-identical however the work is split (compare with a single run given --batching static).");
        Console.WriteLine("note: sharded runs use --batching static (fixed batches: shards reproduce a single --batching static run bit for bit).");
        return settings with { Run = settings.Run with { GenerationMode = GenerationMode.Static } };
    }

    /// <summary>
    /// What the Slurm scripts run: the <c>--launcher</c> given (a .dll under dotnet), else the installed tool
    /// <c>orz-dynamic</c> when it is on PATH, else the program running now.
    /// </summary>
    private static IReadOnlyList<string> Launcher(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            var full = Path.GetFullPath(given);
            if (given.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return ["dotnet", full];
            return File.Exists(full) ? [full] : [given];
        }
        if (SlurmSubmitter.FindOnPath("orz-dynamic") is not null) return ["orz-dynamic"];
        var process = Environment.ProcessPath ?? "dotnet";
        var name = Path.GetFileNameWithoutExtension(process);
        return name == "dotnet" ? [process, typeof(ShardCommands).Assembly.Location] : [process];
    }

    private static ILoggerFactory ConsoleLogging() => LoggerFactory.Create(b => b
        .SetMinimumLevel(LogLevel.Information)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }));

    private static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (BadInput.Is(ex))
        {
            Console.Error.WriteLine($"error: {BadInput.OneLine(ex)}");
            return ExitCodes.BadInput;
        }
    }
}
