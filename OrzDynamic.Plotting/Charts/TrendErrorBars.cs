namespace OrzDynamic.Plotting.Charts;

/// <summary>What the shaded band around each trend line shows.</summary>
public enum TrendErrorBars
{
    /// <summary>No band.</summary>
    None,

    /// <summary>Mean ± one standard deviation of the stratum (the Python tool's error bars; the default). Accuracy gets no band.</summary>
    Std,

    /// <summary>Confidence interval of the mean (Student-t) and of the accuracy (Wilson) at the trend's level.</summary>
    Ci,
}
