using Microsoft.Extensions.Logging;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Models;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Core.Evaluation;

/// <summary>A generated answer, ready to be checked and scored.</summary>
/// <param name="Sample">The evaluation sample.</param>
/// <param name="PromptIds">Its prompt token ids.</param>
/// <param name="Generation">The generated answer.</param>
internal sealed record FinishedAnswer(EvalSample Sample, IReadOnlyList<int> PromptIds, GenerationResult Generation);

/// <summary>
/// Generates the answers of the samples not yet in the journal, in the chosen <see cref="GenerationMode"/>, and hands
/// them over in groups as they finish: a static batch's pending answers together, or under continuous batching every
/// answer as soon as it ends. Each sample samples with its own seed (<see cref="SampleSeed"/>).
/// </summary>
internal sealed class AnswerScheduler
{
    private readonly CausalLM _model;
    private readonly GenerationMode _mode;
    private readonly int _batchSize;
    private readonly ILogger _logger;

    /// <summary>Creates a scheduler generating with <paramref name="model"/>.</summary>
    public AnswerScheduler(CausalLM model, GenerationMode mode, int batchSize, ILogger logger)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _mode = mode;
        _batchSize = batchSize;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Seed of a sample's sampling generator: run seed, dataset and index (not the batch), so resumes and batchings agree.</summary>
    public static long SampleSeed(int runSeed, EvalSample sample) =>
        (uint)RandomTokenStratum.SampleSeed(runSeed, "generate:" + sample.DatasetName, sample.Index);

    /// <summary>
    /// Generates the pending samples of <paramref name="samples"/> (those <paramref name="isDone"/> rejects).
    /// Static mode partitions all of <paramref name="samples"/> into fixed batches (so a resumed run regenerates a
    /// partly done batch with the same batch-mates) and yields only the pending answers; continuous mode queues only
    /// the pending samples.
    /// </summary>
    /// <param name="samples">All selected samples, in order.</param>
    /// <param name="isDone">Whether a sample is already in the journal.</param>
    /// <param name="encode">Prompt text → token ids.</param>
    /// <param name="runSeed">The run seed.</param>
    /// <param name="options">Decoding settings.</param>
    /// <param name="tokens">Receives the number of tokens generated so far.</param>
    /// <param name="cancellationToken">Checked between decoding steps.</param>
    public IEnumerable<IReadOnlyList<FinishedAnswer>> Run(IReadOnlyList<EvalSample> samples, Func<EvalSample, bool> isDone,
        Func<string, IReadOnlyList<int>> encode, int runSeed, GenerationOptions options, IProgress<long>? tokens = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(isDone);
        ArgumentNullException.ThrowIfNull(encode);
        return _mode == GenerationMode.Static
            ? RunStatic(samples, isDone, encode, runSeed, options, tokens, cancellationToken)
            : RunContinuous(samples, isDone, encode, runSeed, options, tokens, cancellationToken);
    }

    private IEnumerable<IReadOnlyList<FinishedAnswer>> RunStatic(IReadOnlyList<EvalSample> samples, Func<EvalSample, bool> isDone,
        Func<string, IReadOnlyList<int>> encode, int runSeed, GenerationOptions options, IProgress<long>? tokens, CancellationToken ct)
    {
        var generator = new TextGenerator(_model, _logger);
        long generated = 0;
        for (var start = 0; start < samples.Count; start += _batchSize)
        {
            ct.ThrowIfCancellationRequested();
            var batch = samples.Skip(start).Take(_batchSize).ToArray();
            if (batch.All(isDone)) continue;
            var prompts = batch.Select(s => encode(s.Prompt)).ToArray();
            var requests = batch.Select((s, i) => new GenerationRequest(prompts[i], SampleSeed(runSeed, s))).ToArray();
            var before = generated;
            var progress = tokens is null ? null : new InlineProgress<int>(n => tokens.Report(before + n));
            var results = generator.Generate(requests, options, null, progress, ct);
            generated += results.Sum(r => r.TokenIds.Count);
            yield return Enumerable.Range(0, batch.Length).Where(i => !isDone(batch[i]))
                .Select(i => new FinishedAnswer(batch[i], prompts[i], results[i])).ToArray();
        }
    }

    private IEnumerable<IReadOnlyList<FinishedAnswer>> RunContinuous(IReadOnlyList<EvalSample> samples, Func<EvalSample, bool> isDone,
        Func<string, IReadOnlyList<int>> encode, int runSeed, GenerationOptions options, IProgress<long>? tokens, CancellationToken ct)
    {
        var pending = samples.Where(s => !isDone(s)).ToArray();
        var prompts = pending.Select(s => encode(s.Prompt)).ToArray();
        var requests = pending.Select((s, i) => new GenerationRequest(prompts[i], SampleSeed(runSeed, s))).ToArray();
        var progress = tokens is null ? null : new InlineProgress<int>(n => tokens.Report(n));
        foreach (var (index, result) in new ContinuousBatchGenerator(_model, _batchSize, _logger).Generate(requests, options, null, progress, ct))
            yield return [new FinishedAnswer(pending[index], prompts[index], result)];
    }
}
