using System.CommandLine;
using OrzDynamic;
using OrzDynamic.Cli;
using OrzDynamic.Core.Evaluation;
using Spectre.Console;

var definition = new CommandLineDefinition();
var root = definition.Build();
// No arguments, or only options that add to a run (e.g. --probe_answers_from last): the embedded demo, with them.
var embedded = args.Length == 0 || (EmbeddedDefault.IsAvailable && EmbeddedDefault.OnlyAddsToTheDemo(args));
string[] effectiveArgs = embedded ? EmbeddedDefault.MergeArgs(EmbeddedDefaultArgs(), args) : args;
var parse = root.Parse(effectiveArgs);
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
    return ExitCodes.BadInput;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl-C: finish writing the current sample, then stop. Second: let the runtime end the process.
    if (cts.IsCancellationRequested) return;
    e.Cancel = true;
    cts.Cancel();
    Console.Error.WriteLine("Cancelling after the current sample… (Ctrl-C again to abort at once)");
};

root.SetAction(async (result, _) =>
{
    var console = AnsiConsole.Console;
    try
    {
        return await new EvaluationRun(definition.Read(result, embedded), console).RunAsync(cts.Token);
    }
    catch (OperationCanceledException)
    {
        console.MarkupLine("[yellow]Cancelled.[/] Finished samples are in the results.jsonl journal; rerun the same command to resume.");
        return ExitCodes.Cancelled;
    }
    catch (Exception ex) when (IsBadInput(ex))
    {
        Console.Error.WriteLine($"error: {OneLine(ex.Message)}");
        return ExitCodes.BadInput;
    }
});

var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await parse.InvokeAsync(invocation);

static bool IsBadInput(Exception ex) => ex is OrzDynamicException or NotSupportedException or FileNotFoundException
    or DirectoryNotFoundException
    // The environment (disk full, permissions, a file where a directory belongs): also exit 2 with the message.
    or IOException or UnauthorizedAccessException;

// One line for the terminal and for scripts: a multi-line message (e.g. every bad record) is joined with "; ".
static string OneLine(string message) =>
    string.Join("; ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Replace(":;", ":", StringComparison.Ordinal);

static string[] EmbeddedDefaultArgs()
{
    if (!EmbeddedDefault.IsAvailable)
    {
        Console.Error.WriteLine($"error: the embedded demo is missing from {EmbeddedDefault.Root}; pass --checkpoint_paths and --data.");
        Environment.Exit(ExitCodes.BadInput);
    }
    return ["--checkpoint_paths", .. EmbeddedDefault.Checkpoints, "--data", .. EmbeddedDefault.DataFiles,
        "--custom_sentence", .. EmbeddedDefault.CustomSentenceFiles, "--output_dir", "orz_dynamic_log",
        "--generate_max_len", "64", "--max_eval_samples", "40", "--batch_size", "8"];
}
