using OrzDynamic.Core.Models;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Generation;

/// <summary>
/// The prefill of a batch of prompts: its KV cache (the prompts' keys and values) and the logits of the last prompt
/// position [B, V], from which the first answer token is drawn. The owner disposes both.
/// </summary>
/// <param name="Cache">The cache after the prompt pass.</param>
/// <param name="Logits">Logits of the last position of every row.</param>
internal sealed record PromptPrefill(KvCache Cache, Tensor Logits) : IDisposable
{
    /// <summary>Disposes the cache and the logits.</summary>
    public void Dispose()
    {
        Cache.Dispose();
        Logits.Dispose();
    }
}
