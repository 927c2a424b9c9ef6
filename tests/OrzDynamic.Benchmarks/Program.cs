// OrzDynamic benchmarks: `dotnet run -c Release --project tests/OrzDynamic.Benchmarks -- <suite> [options]`.
// Each suite lives in its own folder and registers one line here.
using OrzDynamic.Benchmarks.Metrics;
using OrzDynamic.Benchmarks.Model;

var suites = new Dictionary<string, Func<string[], int>>(StringComparer.OrdinalIgnoreCase)
{
    ["metrics"] = MetricsBenchmark.Run,
    ["tokenizer"] = OrzDynamic.Benchmarks.Tokenizer.TokenizerBenchmark.Run,
    ["model"] = ModelBenchmark.Run,
    ["merge"] = OrzDynamic.Benchmarks.Merge.MergeBenchmark.Run,
    ["merge-one"] = OrzDynamic.Benchmarks.Merge.MergeBenchmark.RunOne,
    ["smoke"] = OrzDynamic.Benchmarks.Smoke.RealSizeSmoke.Run,
    ["generation"] = OrzDynamic.Benchmarks.Generation.EndToEndBenchmark.Run,
    ["prefix-sharing"] = OrzDynamic.Benchmarks.Generation.PrefixSharingBenchmark.Run,
    ["decode-step-norms"] = OrzDynamic.Benchmarks.Generation.HeadNormStepProbe.Run,
    ["batch-decode"] = OrzDynamic.Benchmarks.Generation.BatchDecodeProfile.Run,
    ["long-decode"] = OrzDynamic.Benchmarks.Generation.LongContextDecode.Run,
    ["stats-fpr"] = OrzDynamic.Benchmarks.Statistics.FalsePositiveRateStudy.Run,
    ["checker"] = OrzDynamic.Benchmarks.Checker.CheckerBenchmark.Run,
    ["checker-budgets"] = OrzDynamic.Benchmarks.Checker.PathologicalInputsBenchmark.Run,
};

if (args.Length == 0 || !suites.TryGetValue(args[0], out var suite))
{
    Console.Error.WriteLine($"usage: OrzDynamic.Benchmarks <{string.Join("|", suites.Keys)}> [options]");
    return 2;
}
return suite(args[1..]);
