using TorchSharp;

namespace OrzDynamic.Metrics;

/// <summary>Per-position results of <see cref="PositionReduction"/> for one chunk; every tensor is [N] on the logits' device.</summary>
internal readonly record struct PositionStats(
    torch.Tensor Valid,
    torch.Tensor Argmax,
    torch.Tensor LogProbLabel,
    torch.Tensor LogProbMax,
    torch.Tensor LogOneMinusProbMax,
    torch.Tensor ProbNorm,
    torch.Tensor ProbGap,
    torch.Tensor Energy);
