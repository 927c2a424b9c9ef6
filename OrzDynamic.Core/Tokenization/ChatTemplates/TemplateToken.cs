namespace OrzDynamic.Core.Tokenization.ChatTemplates;

internal enum TokenKind
{
    Text,
    Number,
    String,
    Identifier,
    Equals,
    OpenParen,
    CloseParen,
    OpenStatement,
    CloseStatement,
    OpenExpression,
    CloseExpression,
    OpenBracket,
    CloseBracket,
    OpenBrace,
    CloseBrace,
    Comma,
    Dot,
    Colon,
    Pipe,
    Additive,
    Multiplicative,
    Power,
    Comparison,
    Unary,
    Comment,
}

/// <summary>One lexical token; <see cref="Position"/> is its index in the preprocessed template text.</summary>
internal sealed record TemplateToken(TokenKind Kind, string Value, int Position)
{
    public string Value { get; set; } = Value;
}
