using TorchSharp;

namespace OrzDynamic.Core.Generation;

/// <summary>
/// One answer being decoded: its request, its own sampling generator, the tokens chosen so far and, once it stops, why.
/// The schedulers place rows in the decoding step; <see cref="DecodeStep"/> chooses and records their tokens.
/// </summary>
internal sealed class DecodeRow : IDisposable
{
    private bool _disposed;

    /// <summary>Creates the row of request number <paramref name="index"/> with its cap and the positions limit.</summary>
    public DecodeRow(int index, GenerationRequest request, int limit, int maxPositions, torch.Device device)
    {
        Index = index;
        Request = request;
        Limit = limit;
        MaxPositions = maxPositions;
        Generator = new torch.Generator((ulong)request.Seed, device);
    }

    /// <summary>Index of the request in the caller's list.</summary>
    public int Index { get; }

    /// <summary>The prompt, seed and cap.</summary>
    public GenerationRequest Request { get; }

    /// <summary>New tokens allowed (<see cref="GenerationRequest.EffectiveMaxNewTokens"/>).</summary>
    public int Limit { get; }

    /// <summary>The model's positions (prompt + answer); nothing is generated beyond them.</summary>
    public int MaxPositions { get; }

    /// <summary>This row's sampling generator, seeded with <see cref="GenerationRequest.Seed"/>.</summary>
    public torch.Generator Generator { get; }

    /// <summary>The tokens chosen so far (the last one is fed to the next step).</summary>
    public List<int> Tokens { get; } = [];

    /// <summary>Why the row stopped; null while it decodes.</summary>
    public FinishReason? Finished { get; private set; }

    /// <summary>Records <paramref name="token"/> and decides whether the row stops (eos, its cap, the positions); true when it does.</summary>
    public bool Accept(int token, IReadOnlySet<int> eos)
    {
        Tokens.Add(token);
        if (eos.Contains(token)) Finished = FinishReason.EndOfSequence;
        else if (Tokens.Count >= Limit) Finished = FinishReason.MaxNewTokens;
        else if (Request.PromptIds.Count + Tokens.Count >= MaxPositions) Finished = FinishReason.ContextLimit;
        return Finished is not null;
    }

    /// <summary>The finished row's result; the text (when <paramref name="decode"/> is given) leaves out a stopping eos.</summary>
    public GenerationResult Result(Func<IReadOnlyList<int>, string>? decode)
    {
        var reason = Finished ?? throw new InvalidOperationException("The row has not finished.");
        var text = decode is null ? null : decode(reason == FinishReason.EndOfSequence ? Tokens.Take(Tokens.Count - 1).ToList() : Tokens);
        return new GenerationResult(Tokens.ToArray(), reason, Request.PromptIds.Count, text);
    }

    /// <summary>Releases the generator.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Generator.Dispose();
    }
}
