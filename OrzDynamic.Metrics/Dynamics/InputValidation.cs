using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics;

/// <summary>Argument checks shared by <see cref="LearningDynamics"/> and <see cref="LearningDynamicsAccumulator"/>.</summary>
internal static class InputValidation
{
    public static void RequireFloatLogits(Tensor logits, string paramName)
    {
        ArgumentNullException.ThrowIfNull(logits, paramName);
        if (logits.dtype is not (ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException(
                $"{paramName} must be float32, bfloat16, float16 or float64, got {logits.dtype}.", paramName);
    }

    public static void RequireLongLabels(Tensor labels, string paramName)
    {
        ArgumentNullException.ThrowIfNull(labels, paramName);
        if (labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"{paramName} must be int64 (long), got {labels.dtype}.", paramName);
    }

    public static void RequireRank(Tensor t, int rank, string what, string paramName)
    {
        if (t.dim() != rank)
            throw new ArgumentException(
                $"{paramName} must have rank {rank} ({what}), got rank {t.dim()} with shape {Shape(t)}.", paramName);
    }

    /// <summary>
    /// Throws when a label is neither −100 nor in [0, V); names the first offending index and value.
    /// <paramref name="lastDimOffset"/> is added to the last index in the message (when a shifted view is checked).
    /// </summary>
    public static void RequireLabelRange(Tensor labels, long vocabSize, string paramName, long lastDimOffset = 0)
    {
        if (labels.numel() == 0) return;
        using var scope = NewDisposeScope();
        var bad = labels.ne(LearningDynamics.IgnoreIndex).logical_and_(labels.lt(0).logical_or_(labels.ge(vocabSize)));
        if (!bad.any().item<bool>()) return;
        var first = bad.nonzero()[0].cpu();
        var index = first.data<long>().ToArray();
        var value = labels.cpu()[index.Select(i => TensorIndex.Single(i)).ToArray()].item<long>();
        index[^1] += lastDimOffset;
        throw new ArgumentException(
            $"{paramName}[{string.Join(", ", index)}] = {value} is out of range: labels must be in [0, {vocabSize}) " +
            $"or exactly {LearningDynamics.IgnoreIndex} (ignored).", paramName);
    }

    public static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
