namespace OrzDynamic.Core.Models;

/// <summary>Output of <see cref="CausalLM.Forward"/>. The caller owns (and disposes) the tensors.</summary>
/// <param name="Logits">Float32 logits, [B, T, V] or [B, V] depending on <see cref="LogitsMode"/>, or null.</param>
/// <param name="HiddenStates">Final-norm hidden states [B, T, hidden] in the model dtype, or null.</param>
public sealed record ForwardResult(Tensor? Logits, Tensor? HiddenStates) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Logits?.Dispose();
        HiddenStates?.Dispose();
    }
}
