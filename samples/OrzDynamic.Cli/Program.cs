using System.CommandLine;
using OrzDynamic;
using OrzDynamic.Cli;
using OrzDynamic.Core.Evaluation;
using Spectre.Console;

using var cts = new CancellationTokenSource();
var definition = new CommandLineDefinition();
var root = definition.Build();
ShardCommands.Register(root, definition, cts);
args = FlagSpelling.Normalize(args, root);   // --output-dir → --output_dir: the dash spelling of every flag is an alias
// No arguments, or only options that add to a run (e.g. --probe_answers_from last): the embedded demo, with them.
var embedded = args.Length == 0 || (EmbeddedDefault.IsAvailable && EmbeddedDefault.OnlyAddsToTheDemo(args));
if (embedded && !EmbeddedDefault.IsAvailable)
{
    Console.Error.WriteLine($"error: the embedded demo is missing from {EmbeddedDefault.Root}; pass --checkpoint_paths and --data.");
    return ExitCodes.BadInput;
}
string[] effectiveArgs = embedded ? EmbeddedDefault.MergeArgs(EmbeddedDefaultArgs(), args) : args;
root.SetAction(async (result, _) =>
{
    var console = CliConsole.Create();
    try
    {
        return await new EvaluationRun(definition.Read(result, embedded), console) { NoArguments = args.Length == 0 }.RunAsync(cts.Token);
    }
    catch (OperationCanceledException)
    {
        console.MarkupLine("[yellow]Cancelled.[/] Finished samples are in the results.jsonl journal; rerun the same command to resume.");
        return ExitCodes.Cancelled;
    }
    catch (Exception ex) when (BadInput.Is(ex))
    {
        Console.Error.WriteLine($"error: {BadInput.OneLine(ex)}");
        return ExitCodes.BadInput;
    }
});
var parse = root.Parse(effectiveArgs);
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    // One line: a misspelt option also makes its value an unrecognized token, which adds nothing for the reader.
    var first = parse.Errors[0].Message;
    var more = parse.Errors.Skip(1).Select(e => e.Message).Where(m => !m.StartsWith("Unrecognized command or argument", StringComparison.Ordinal));
    Console.Error.WriteLine($"error: {string.Join("; ", more.Prepend(first).Distinct(StringComparer.Ordinal))}");
    return ExitCodes.BadInput;
}

// Ctrl-C and SIGTERM: finish writing the current sample, then stop (exit 130). A second signal ends the process at once.
StopSignals.Install(cts);

var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await parse.InvokeAsync(invocation);

static string[] EmbeddedDefaultArgs()
{
    return ["--checkpoint_paths", .. EmbeddedDefault.Checkpoints, "--data", .. EmbeddedDefault.DataFiles,
        "--custom_sentence", .. EmbeddedDefault.CustomSentenceFiles, "--output_dir", "orz_dynamic_log",
        "--generate_max_len", "64", "--max_eval_samples", "40", "--batch_size", "8"];
}
