namespace OrzDynamic.Metrics;

/// <summary>Floating-point type used for the per-position reductions and the running sums.</summary>
public enum MetricsPrecision
{
    /// <summary>Compute and accumulate in float32 (default; fast, relative error around 1e-6).</summary>
    Float32,

    /// <summary>Compute and accumulate in float64 (each chunk is up-cast; about 2–3× slower on CPU, exact to ~1e-12).</summary>
    Float64,
}
