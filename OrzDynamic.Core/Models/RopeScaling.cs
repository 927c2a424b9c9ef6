namespace OrzDynamic.Core.Models;

/// <summary>The <c>rope_scaling</c> block of a Hugging Face config. Only the <c>llama3</c> type is supported.</summary>
/// <param name="Type">Scaling type (<c>rope_type</c> or legacy <c>type</c>), e.g. <c>"llama3"</c>.</param>
/// <param name="Factor">Overall scaling factor.</param>
/// <param name="LowFreqFactor">llama3: wavelengths longer than original_max / low_freq_factor are divided by <see cref="Factor"/>.</param>
/// <param name="HighFreqFactor">llama3: wavelengths shorter than original_max / high_freq_factor are kept.</param>
/// <param name="OriginalMaxPositionEmbeddings">llama3: the context length the model was pre-trained with.</param>
internal sealed record RopeScaling(string Type, double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings);
