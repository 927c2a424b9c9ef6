namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>
/// Splits preprocessed template text into tokens: literal text outside tags, comments, and the tokens inside
/// <c>{{ }}</c> and <c>{% %}</c>. Applies the <c>-</c> whitespace control of tags and comments.
/// </summary>
internal sealed class TemplateLexer
{
    private static readonly (string Text, TokenKind Kind)[] Symbols =
    [
        ("{%", TokenKind.OpenStatement), ("%}", TokenKind.CloseStatement), ("{{", TokenKind.OpenExpression), ("}}", TokenKind.CloseExpression),
        ("(", TokenKind.OpenParen), (")", TokenKind.CloseParen), ("{", TokenKind.OpenBrace), ("}", TokenKind.CloseBrace),
        ("[", TokenKind.OpenBracket), ("]", TokenKind.CloseBracket), (",", TokenKind.Comma), (".", TokenKind.Dot),
        (":", TokenKind.Colon), ("|", TokenKind.Pipe),
        ("<=", TokenKind.Comparison), (">=", TokenKind.Comparison), ("==", TokenKind.Comparison), ("!=", TokenKind.Comparison),
        ("<", TokenKind.Comparison), (">", TokenKind.Comparison),
        ("+", TokenKind.Additive), ("-", TokenKind.Additive), ("~", TokenKind.Additive),
        ("**", TokenKind.Power), ("*", TokenKind.Multiplicative), ("//", TokenKind.Multiplicative), ("/", TokenKind.Multiplicative),
        ("%", TokenKind.Multiplicative), ("=", TokenKind.Equals),
    ];

    private readonly TemplateSource _source;
    private readonly string _src;
    private readonly List<TemplateToken> _tokens = [];
    private readonly string? _origin;
    private int _pos;
    private int _braceDepth;

    private TemplateLexer(TemplateSource source, string? origin)
    {
        _source = source;
        _src = source.Text;
        _origin = origin;
    }

    public static List<TemplateToken> Tokenize(TemplateSource source, string? origin)
    {
        var lexer = new TemplateLexer(source, origin);
        lexer.Run();
        return lexer._tokens;
    }

    private ChatTemplateException Error(int position, string reason)
    {
        var (line, column) = _source.Locate(position);
        return new ChatTemplateException(_origin, line, column, reason);
    }

    private TokenKind? LastKind => _tokens.Count == 0 ? null : _tokens[^1].Kind;

    private void Run()
    {
        var length = _src.Length;
        while (_pos < length)
        {
            var last = LastKind;
            if (last is null or TokenKind.CloseStatement or TokenKind.CloseExpression or TokenKind.Comment)
            {
                var end = FindTagStart(_pos);
                if (end > _pos)
                {
                    _tokens.Add(new TemplateToken(TokenKind.Text, _src[_pos..end], _pos));
                    _pos = end;
                    continue;
                }
            }

            if (_src[_pos] == '{')
            {
                var next = At(_pos + 1);
                if (next == '#')
                {
                    LexComment();
                    continue;
                }
                if (At(_pos + 2) == '-' && (next == '%' || next == '{'))
                {
                    StripTrailingWhitespace();
                    _tokens.Add(new TemplateToken(next == '%' ? TokenKind.OpenStatement : TokenKind.OpenExpression, next == '%' ? "{%" : "{{", _pos));
                    if (next == '{') _braceDepth = 0;
                    _pos += 3;
                    continue;
                }
            }

            SkipWhitespaceInsideTag();
            var c = _src[_pos];
            if (c == '-' && At(_pos + 2) == '}' && (At(_pos + 1) == '%' || At(_pos + 1) == '}'))
            {
                _tokens.Add(new TemplateToken(At(_pos + 1) == '%' ? TokenKind.CloseStatement : TokenKind.CloseExpression, At(_pos + 1) == '%' ? "%}" : "}}", _pos));
                _pos += 3;
                while (_pos < length && JsText.IsWhitespace(_src[_pos])) _pos++;
                continue;
            }

            if ((c == '-' || c == '+') && LexSignOrUnary(c)) continue;
            if (LexSymbol()) continue;

            if (c == '\'' || c == '"')
            {
                var start = _pos;
                _pos++;
                var value = LexString(c, start);
                _tokens.Add(new TemplateToken(TokenKind.String, value, start));
                _pos++;
                continue;
            }
            if (JsText.IsDigit(c))
            {
                var start = _pos;
                var number = ConsumeDigits();
                if (last != TokenKind.Dot && At(_pos) == '.' && JsText.IsDigit(At(_pos + 1)))
                {
                    _pos++;
                    number += "." + ConsumeDigits();
                }
                _tokens.Add(new TemplateToken(TokenKind.Number, number, start));
                continue;
            }
            if (JsText.IsWord(c))
            {
                var start = _pos;
                while (JsText.IsWord(At(_pos)))
                {
                    if (++_pos >= length) throw Error(start, "unexpected end of the template inside a tag");
                }
                _tokens.Add(new TemplateToken(TokenKind.Identifier, _src[start.._pos], start));
                continue;
            }
            throw Error(_pos, $"unexpected character '{c}'");
        }
    }

    private char At(int index) => index < _src.Length ? _src[index] : '\0';

    /// <summary>The index of the next <c>{%</c>, <c>{{</c> or <c>{#</c> at or after <paramref name="from"/>, or the end.</summary>
    private int FindTagStart(int from)
    {
        var end = from;
        while (true)
        {
            end = _src.IndexOf('{', end);
            if (end < 0) return _src.Length;
            var next = At(end + 1);
            if (next is '%' or '{' or '#') return end;
            end++;
        }
    }

    private void LexComment()
    {
        var start = _pos;
        _pos += 2;
        var stripBefore = At(_pos) == '-';
        if (stripBefore) _pos++;
        var end = _src.IndexOf("#}", _pos, StringComparison.Ordinal);
        if (end < 0) throw Error(start, "comment '{#' is never closed with '#}'");
        var comment = _src[_pos..end];
        var stripAfter = comment.EndsWith('-');
        if (stripAfter) comment = comment[..^1];
        if (stripBefore) StripTrailingWhitespace();
        _tokens.Add(new TemplateToken(TokenKind.Comment, comment, start));
        _pos = end + 2;
        if (stripAfter)
            while (_pos < _src.Length && JsText.IsWhitespace(_src[_pos])) _pos++;
    }

    private void StripTrailingWhitespace()
    {
        if (_tokens.Count == 0 || _tokens[^1].Kind != TokenKind.Text) return;
        _tokens[^1].Value = JsText.TrimEnd(_tokens[^1].Value);
        if (_tokens[^1].Value.Length == 0) _tokens.RemoveAt(_tokens.Count - 1);
    }

    private void SkipWhitespaceInsideTag()
    {
        var start = _pos;
        while (JsText.IsWhitespace(At(_pos)) && _pos < _src.Length)
        {
            if (++_pos >= _src.Length) throw Error(start, "unexpected end of the template inside a tag");
        }
    }

    /// <summary>A '-' or '+' that starts an operand is a sign: folded into a number literal or kept as a unary operator.</summary>
    private bool LexSignOrUnary(char c)
    {
        var last = LastKind;
        if (last is null or TokenKind.Text) throw Error(_pos, $"unexpected character '{c}'");
        if (last is TokenKind.Identifier or TokenKind.Number or TokenKind.String or TokenKind.CloseParen or TokenKind.CloseBracket) return false;
        var start = _pos;
        _pos++;
        var number = ConsumeDigits();
        if (number.Length > 0 && At(_pos) == '.' && JsText.IsDigit(At(_pos + 1)))
        {
            _pos++;
            number += "." + ConsumeDigits();
        }
        _tokens.Add(new TemplateToken(number.Length > 0 ? TokenKind.Number : TokenKind.Unary, c + number, start));
        return true;
    }

    private bool LexSymbol()
    {
        foreach (var (text, kind) in Symbols)
        {
            if (text == "}}" && _braceDepth > 0) continue;
            if (string.CompareOrdinal(_src, _pos, text, 0, text.Length) != 0 || _pos + text.Length > _src.Length) continue;
            _tokens.Add(new TemplateToken(kind, text, _pos));
            if (kind == TokenKind.OpenExpression) _braceDepth = 0;
            else if (kind == TokenKind.OpenBrace) _braceDepth++;
            else if (kind == TokenKind.CloseBrace) _braceDepth--;
            _pos += text.Length;
            return true;
        }
        return false;
    }

    private string ConsumeDigits()
    {
        var start = _pos;
        while (JsText.IsDigit(At(_pos)))
        {
            if (++_pos >= _src.Length) throw Error(start, "unexpected end of the template inside a tag");
        }
        return _src[start.._pos];
    }

    private string LexString(char quote, int start)
    {
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _src.Length) throw Error(start, "string literal is never closed");
            var ch = _src[_pos];
            if (ch == quote) return sb.ToString();
            _pos++;
            if (ch != '\\')
            {
                sb.Append(ch);
                continue;
            }
            if (_pos >= _src.Length) throw Error(start, "string literal is never closed");
            var escaped = _src[_pos++];
            if (escaped is 'x' or 'u')
            {
                var digits = escaped == 'x' ? 2 : 4;
                var hex = _pos + digits <= _src.Length ? _src.Substring(_pos, digits) : "";
                if (hex.Length != digits || !int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    throw Error(_pos - 2, $"invalid escape sequence \\{escaped}{hex}");
                sb.Append((char)code);
                _pos += digits;
                continue;
            }
            sb.Append(escaped switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'b' => '\b',
                'f' => '\f',
                'v' => '\v',
                '\'' => '\'',
                '"' => '"',
                '\\' => '\\',
                _ => throw Error(_pos - 2, $"unknown escape sequence \\{escaped}"),
            });
        }
    }
}
