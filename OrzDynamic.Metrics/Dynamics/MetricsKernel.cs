namespace OrzDynamic.Metrics;

/// <summary>Which implementation computes the per-position reductions (<see cref="MetricsOptions.Kernel"/>).</summary>
public enum MetricsKernel
{
    /// <summary>
    /// The vectorised CPU kernel for contiguous float32 logits on the CPU at <see cref="MetricsPrecision.Float32"/> on a
    /// CPU with 256-bit vectors and FMA (it reads the logits twice and needs no working buffer; its per-position
    /// arithmetic after the two sums is float64); the tensor-op path for everything else (other devices and dtypes,
    /// float64 precision, rows holding NaN or ±∞ maxima). Default.
    /// </summary>
    Auto,

    /// <summary>Always the tensor-op path (TorchSharp operations on the logits' device), e.g. to compare the two.</summary>
    TensorOps,
}
