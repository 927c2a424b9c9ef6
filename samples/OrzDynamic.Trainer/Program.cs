using System.Globalization;
using Microsoft.Extensions.Logging;
using OrzDynamic.Trainer;

// Retrains the embedded demo checkpoints. Usage:
//   dotnet run -c Release --project samples/OrzDynamic.Trainer -- [--out <samples dir>] [--seed N] [--steps N] [--middle N] [--threads N]
var settings = new DemoTrainingSettings();
string? outputRoot = null;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        int IntValue() => int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture);
        switch (args[i])
        {
            case "--out": outputRoot = Value(); break;
            case "--seed": settings = settings with { Seed = IntValue() }; break;
            case "--steps": settings = settings with { Optimizer = settings.Optimizer with { Steps = IntValue() } }; break;
            case "--middle": settings = settings with { MiddleStep = IntValue() }; break;
            case "--min-operand": settings = settings with { MinOperand = IntValue() }; break;
            case "--max-operand": settings = settings with { MaxOperand = IntValue() }; break;
            case "--lr": settings = settings with { Optimizer = settings.Optimizer with { LearningRate = double.Parse(Value(), CultureInfo.InvariantCulture) } }; break;
            case "--batch": settings = settings with { Optimizer = settings.Optimizer with { BatchSize = IntValue() } }; break;
            case "--min-second": settings = settings with { MinSecondOperand = IntValue() }; break;
            case "--max-second": settings = settings with { MaxSecondOperand = IntValue() }; break;
            case "--without-carry": settings = settings with { WithoutCarry = true }; break;
            case "--with-carry": settings = settings with { WithoutCarry = false }; break;
            case "--extra-checkpoints": settings = settings with { ExtraCheckpointSteps = Value().Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() }; break;
            case "--threads": settings = settings with { Threads = IntValue() }; break;
            case "--help" or "-h":
                Console.WriteLine("orz-demo-trainer [--out <dir>] [--seed N] [--steps N] [--middle N] [--threads N] [--lr X] [--batch N] [--min-operand N] [--max-operand N] [--min-second N] [--max-second N] [--with-carry|--without-carry] [--extra-checkpoints a,b,…]");
                Console.WriteLine("Writes <dir>/demo-checkpoints/iter*, <dir>/demo-data/arith_demo.json, <dir>/demo-custom/arith_sentences.json.");
                Console.WriteLine("Default <dir>: the samples/ folder of the repository containing the current directory.");
                return 0;
            default: throw new ArgumentException($"unknown argument '{args[i]}'");
        }
    }
    outputRoot ??= RepositoryLocator.SamplesDirectory(Directory.GetCurrentDirectory());
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or DirectoryNotFoundException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}

using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
var logger = loggerFactory.CreateLogger("OrzDynamic.Trainer");
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
try
{
    var result = new DemoTrainer(settings, logger).Run(outputRoot, cancellationToken: cts.Token);
    logger.LogInformation("Done in {Seconds:0.0} s: {Count} checkpoints ({Params:N0} parameters, vocab {Vocab}); final loss {Loss:0.0000}",
        result.Elapsed.TotalSeconds, result.CheckpointDirectories.Count, result.ParameterCount, result.VocabSize, result.History[^1].Loss);
    return 0;
}
catch (OperationCanceledException)
{
    logger.LogWarning("Cancelled.");
    return 130;
}
