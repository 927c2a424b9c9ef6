using OrzDynamic.Core.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Generation;

/// <summary>
/// Chooses the next token from float32 logits [B, V]: greedy, or temperature / top-k / top-p sampling. A row whose
/// logits contain NaN or infinity has no probability distribution to sample from; it gets the greedy choice instead
/// (as greedy decoding does), and the row is counted in <see cref="NonFiniteRows"/> so the caller can warn. Its answer
/// is then scored with non-finite metrics and kept out of the metric means like any invalid sample.
/// </summary>
internal sealed class TokenSampler
{
    private readonly GenerationOptions _options;

    /// <summary>Creates a sampler for <paramref name="options"/>.</summary>
    public TokenSampler(GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Row choices made greedily because the row's logits were not finite (all calls so far).</summary>
    public long NonFiniteRows { get; private set; }

    /// <summary>Returns the next ids [B] (int64), all rows drawn from one generator.</summary>
    public Tensor Next(Tensor logits, torch.Generator generator)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = NewDisposeScope();
        if (!_options.DoSample) return logits.argmax(-1).MoveToOuterDisposeScope();
        return Probabilities(logits).multinomial(1, generator: generator).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Returns the next ids [B] (int64), row r drawn from <paramref name="generators"/>[r] alone, so a row's draw does
    /// not depend on the other rows of the batch (every step is computed row by row on the last axis).
    /// </summary>
    public Tensor Next(Tensor logits, IReadOnlyList<torch.Generator> generators)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(generators);
        if (generators.Count != logits.shape[0])
            throw new ArgumentException($"{generators.Count} generators for {logits.shape[0]} rows.", nameof(generators));
        using var scope = NewDisposeScope();
        if (!_options.DoSample) return logits.argmax(-1).MoveToOuterDisposeScope();
        var p = Probabilities(logits);
        // The C# draw gives libtorch's multinomial result and generator state; it declines unusual inputs.
        var ids = MultinomialDraw.Applies(p, generators) ? MultinomialDraw.Draw(p, generators) : null;
        if (ids is null)
        {
            ids = new long[generators.Count];
            for (var r = 0; r < ids.Length; r++)
                ids[r] = p[r].multinomial(1, generator: generators[r]).item<long>();
        }
        return tensor(ids, ScalarType.Int64).MoveToOuterDisposeScope();
    }

    /// <summary>Sampling distribution [B, V] after temperature, top-k and top-p (inside the caller's dispose scope).</summary>
    private Tensor Probabilities(Tensor logits)
    {
        var scores = logits.to(ScalarType.Float32);
        if (_options.Temperature != 1.0) scores = scores.div(_options.Temperature); // dividing by 1 changes no bit
        var vocab = scores.shape[^1];
        if (_options.TopK > 0 && _options.TopK < vocab)
        {
            var (kth, _) = scores.topk(_options.TopK, -1);
            var threshold = kth.narrow(-1, _options.TopK - 1, 1);
            scores = scores.masked_fill(scores.lt(threshold), float.NegativeInfinity);
        }
        if (_options.TopP < 1.0)
        {
            var (sorted, order) = scores.sort(-1, descending: true);
            var probs = sorted.softmax(-1);
            // Drop a token when the tokens ranked above it already reach top_p (the first token is always kept).
            var before = probs.cumsum(-1) - probs;
            var drop = before.ge(_options.TopP);
            var dropOriginal = zeros_like(drop).scatter(-1, order, drop);
            scores = scores.masked_fill(dropOriginal, float.NegativeInfinity);
        }
        var p = scores.softmax(-1);
        // Softmax entries lie in [0, 1] unless NaN or infinite, so a row's sum is finite exactly when all its entries
        // are (and one sum is much cheaper than an elementwise test).
        var finiteRows = p.sum(-1).isfinite();
        long bad = finiteRows.logical_not().sum().item<long>();
        if (bad > 0)
        {
            // multinomial refuses NaN/inf probabilities: give such rows a one-hot at their greedy choice. Every row
            // still draws from its generator, so the other rows' samples do not change.
            NonFiniteRows += bad;
            var greedy = logits.argmax(-1, keepdim: true);
            var oneHot = zeros_like(p).scatter_(-1, greedy, ones_like(greedy, dtype: p.dtype));
            p = where(finiteRows.unsqueeze(-1), p, oneHot);
        }
        return p;
    }
}
