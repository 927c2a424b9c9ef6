namespace OrzDynamic.Core.Tokenization;

/// <summary>
/// A token that is matched in the raw text before the model runs and is never split
/// (tokenizer.json <c>added_tokens</c>).
/// </summary>
/// <param name="Id">Token id.</param>
/// <param name="Content">Exact text of the token.</param>
/// <param name="Special">Special tokens are dropped when decoding with skip-special-tokens.</param>
/// <param name="LStrip">The match swallows whitespace on its left.</param>
/// <param name="RStrip">The match swallows whitespace on its right.</param>
/// <param name="SingleWord">The token only matches when it is not glued to word characters.</param>
/// <param name="Normalized">The token is matched against normalized text (this implementation matches raw text, as transformers.js does).</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool LStrip = false, bool RStrip = false, bool SingleWord = false, bool Normalized = false);
