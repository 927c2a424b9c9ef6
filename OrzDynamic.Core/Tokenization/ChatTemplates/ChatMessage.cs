namespace OrzDynamic.Core.Tokenization;

/// <summary>One turn of a conversation rendered by a <see cref="ChatTemplate"/>: a role ("system", "user",
/// "assistant", "tool", …) and its text. Templates see it as <c>{"role": …, "content": …}</c>.</summary>
/// <param name="Role">The speaker's role.</param>
/// <param name="Content">The message text.</param>
public sealed record ChatMessage(string Role, string Content);
