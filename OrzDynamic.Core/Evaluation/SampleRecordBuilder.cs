using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// The check and record stages of one answer: decodes the generated ids, checks the answer against the reference,
/// turns its scoring into the journal's <see cref="SampleRecord"/> (metrics, random-token stratum, traces) and logs
/// what needs saying (padded-vocabulary ids, metrics kept out of the means, verbose per-sample lines).
/// </summary>
internal sealed class SampleRecordBuilder(RunSettings settings, HfTokenizer tokenizer, int vocabSize, ILogger logger)
{
    /// <summary>
    /// The record of <paramref name="answer"/> scored as <paramref name="scored"/>, checked by <paramref name="checker"/>;
    /// with its think segments when they were found (<paramref name="segments"/>).
    /// </summary>
    public SampleRecord Build(FinishedAnswer answer, ScoredResponse scored, IAnswerChecker checker, CancellationToken ct, ThinkSegments? segments = null)
    {
        var (draw, prompt, gen) = answer;
        var sample = draw.Sample;
        var config = settings.Config;
        var responseIds = gen.FinishReason == FinishReason.EndOfSequence ? gen.TokenIds.Take(gen.TokenIds.Count - 1) : gen.TokenIds;
        var output = tokenizer.Decode(responseIds, skipSpecialTokens: true);
        int padded = gen.TokenIds.Count(id => !tokenizer.IsKnownId(id));
        if (padded > 0)
            logger.LogWarning("{Dataset}#{Index}/{Sample}: {Count} generated id(s) beyond the tokenizer (the model's padded vocabulary) decoded as empty text; scored normally",
                sample.DatasetName, sample.Index, draw.Number, padded);
        var check = checker.Check(sample.Answer, output, sample.Choices, ct);
        var metrics = LdMetrics.From(scored.Metrics);
        var invalid = metrics.InvalidReason;
        if (invalid is not null)
            logger.LogWarning("{Dataset}#{Index}/{Sample}: kept out of the metric means: {Reason}", sample.DatasetName, sample.Index, draw.Number, invalid);
        var record = new SampleRecord
        {
            Dataset = sample.DatasetName,
            Index = sample.Index,
            Sample = config.NSamples > 1 ? draw.Number : null,
            Checkpoint = settings.CheckpointName,
            Prompt = sample.Prompt,
            Output = output,
            FinalAnswer = check.ExtractedAnswer,
            Answer = sample.Answer,
            IsCorrect = check.IsCorrect,
            TokenIds = gen.TokenIds,
            PromptTokens = prompt.Count,
            FinishReason = FinishReasonOf(gen.FinishReason),
            PaddedVocabTokens = padded > 0 ? padded : null,
            LdMetrics = metrics,
            SampledTokens = invalid is null
                ? RandomTokenStratum.Draw(scored.Traces, config.RandomTokensPerSample,
                    draw.RandomTokenSeed(config.Seed),
                    vocabSize, config.LegacyOrzClamps, id => tokenizer.Decode([id]))
                : null,
            InvalidReason = invalid,
            TokenTraces = config.SaveTokenTraces ? TracesOf(scored) : null,
            ThinkSegments = segments is null ? null : ThinkSegmentScoring.Record(segments, scored, gen.TokenIds.Count),
        };
        LogVerbose(record);
        return record;
    }

    /// <summary>The journal's <c>finish_reason</c> string of <paramref name="reason"/>.</summary>
    private static string FinishReasonOf(FinishReason reason) => reason switch
    {
        FinishReason.EndOfSequence => FinishReasons.Eos,
        FinishReason.ContextLimit => FinishReasons.ContextLimit,
        _ => FinishReasons.Length,
    };

    private static TokenTraces TracesOf(ScoredResponse scored)
    {
        var valid = scored.Traces.Where(t => t.IsValid).ToArray();
        return new TokenTraces
        {
            LogProbs = valid.Select(t => t.LogProbLabel).ToArray(),
            ArgmaxIds = valid.Select(t => t.Argmax).ToArray(),
            ProbMax = valid.Select(t => t.ProbMax).ToArray(),
        };
    }

    private void LogVerbose(SampleRecord r)
    {
        if (!settings.Config.VerboseLearningDynamics || r.LdMetrics is null) return;
        var m = r.LdMetrics;
        logger.LogInformation(
            "{Dataset}#{Index} correct={Correct} tokens={Tokens} out_token={OutToken:0.###} out_argmax={OutArgmax:0.###} A_norm={ANorm:0.###} prob_gap2_mean={Gap:0.####} prob_energy={Energy:0.####} argmax_match={Match:0.###}",
            r.Dataset, r.Index, r.IsCorrect, m.ValidTokens, m.OutToken, m.OutArgmax, m.ANorm, m.ProbGap2Mean, m.ProbEnergy, m.ArgmaxMatchRate);
    }
}
