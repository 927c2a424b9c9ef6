using OrzDynamic.Core.Generation;

namespace OrzDynamic.Benchmarks.Generation;

/// <summary>
/// The fixed end-to-end workload: prompts of random ids and answer lengths drawn from a lognormal distribution (heavy
/// tail like real reasoning answers), capped; every answer is stopped exactly at its drawn length.
/// </summary>
internal sealed record EndToEndWorkload(IReadOnlyList<GenerationRequest> Requests)
{
    public static EndToEndWorkload Draw(int prompts, double median, double sigma, int cap, int minPrompt, int maxPrompt, long vocab, int seed)
    {
        var rng = new Random(seed);
        var requests = new GenerationRequest[prompts];
        for (var i = 0; i < prompts; i++)
        {
            var promptLen = rng.Next(minPrompt, maxPrompt + 1);
            var ids = Enumerable.Range(0, promptLen).Select(_ => rng.Next(0, (int)Math.Min(vocab, 150000))).ToArray();
            // Box–Muller standard normal → lognormal with the given median.
            var u1 = 1.0 - rng.NextDouble();
            var u2 = rng.NextDouble();
            var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            var length = (int)Math.Clamp(Math.Round(median * Math.Exp(sigma * z)), 1, cap);
            requests[i] = new GenerationRequest(ids, 7000 + i, length);
        }
        return new EndToEndWorkload(requests);
    }

    public long AnswerTokens => Requests.Sum(r => (long)r.MaxNewTokens!.Value);

    public int MaxAnswer => Requests.Max(r => r.MaxNewTokens!.Value);

    public string Describe() =>
        $"{Requests.Count} prompts ({Requests.Min(r => r.PromptIds.Count)}–{Requests.Max(r => r.PromptIds.Count)} tokens), answer lengths " +
        $"min {Requests.Min(r => r.MaxNewTokens)}, median {SampleMedian.Of(Requests.Select(r => (double)r.MaxNewTokens!.Value))}, max {MaxAnswer}, total {AnswerTokens}";
}
