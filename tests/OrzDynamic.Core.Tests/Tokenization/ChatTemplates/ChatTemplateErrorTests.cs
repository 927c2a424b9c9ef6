using NUnit.Framework;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Tests.Tokenization.ChatTemplates;

/// <summary>Syntax errors, unsupported Jinja and run-time type errors fail with the template's line and column.</summary>
[TestFixture]
public sealed class ChatTemplateErrorTests
{
    private static readonly ChatMessage[] OneUser = [new("user", "hi")];

    private static ChatTemplateException Fails(string template, IReadOnlyList<ChatMessage>? messages = null)
    {
        var ex = Assert.Catch<ChatTemplateException>(() => ChatTemplate.Parse(template).Render(messages ?? OneUser, addGenerationPrompt: true))!;
        Assert.That(ex.Message, Does.Contain($"line {ex.Line}, column {ex.Column}"));
        Assert.That(ex.Message, Does.Not.Contain('\n'));
        return ex;
    }

    [TestCase("a\n{% call foo() %}x{% endcall %}", 2, 4, "call")]
    [TestCase("{% if true %}\n  {% filter upper %}x{% endfilter %}\n{% endif %}", 2, 6, "filter")]
    [TestCase("{% raw %}{{ x }}{% endraw %}", 1, 4, "raw")]
    [TestCase("{% include 'other.jinja' %}", 1, 4, "include")]
    [TestCase("x\n\n   {% extends 'base' %}", 3, 7, "extends")]
    public void UnsupportedStatement_NamesStatementLineAndColumn(string template, int line, int column, string statement)
    {
        var ex = Fails(template);
        Assert.That((ex.Line, ex.Column), Is.EqualTo((line, column)));
        Assert.That(ex.Reason, Does.Contain($"'{statement}'").And.Contain("not supported"));
    }

    [TestCase("{{ f(*args) }}", 1, 6, "unpacking")]
    [TestCase("{{ f(**kw) }}", 1, 6, "unpacking")]
    [TestCase("{{ 3 is divisibleby(3) }}", 1, 20, "'}}'")]
    [TestCase("{{ 1e3 }}", 1, 5, "'}}'")]
    [TestCase("hello {{ name ", 1, 14, "end of the template")]
    [TestCase("{{ 'open }}", 1, 4, "never closed")]
    [TestCase("a {# note", 1, 3, "never closed")]
    [TestCase("{% for m in messages %}\n{{ m }}", 1, 1, "'{% for %}' is never closed")]
    [TestCase("line one\n{% if x %}\nbody", 2, 1, "'{% if %}' is never closed")]
    [TestCase("{% frobnicate %}", 1, 4, "unknown statement 'frobnicate'")]
    [TestCase("a{% if x %}b{% endif %}\n{% endif %}", 2, 4, "no matching opening")]
    [TestCase("{{ x @ y }}", 1, 6, "unexpected character '@'")]
    [TestCase("{{ 'a\\qb' }}", 1, 6, "escape")]
    [TestCase("{% macro m(a) %}\n{{ varargs|length }}{% endmacro %}", 2, 4, "'varargs'")]
    [TestCase("{% macro m() %}{{ kwargs }}{% endmacro %}", 1, 19, "'kwargs'")]
    public void SyntaxError_NamesLineAndColumn(string template, int line, int column, string reason)
    {
        var ex = Assert.Catch<ChatTemplateException>(() => ChatTemplate.Parse(template))!;
        Assert.That(ex.Reason, Does.Contain(reason));
        Assert.That((ex.Line, ex.Column), Is.EqualTo((line, column)), ex.Message);
    }

    [TestCase("{% if true %}\n  {{ 'a' - 1 }}\n{% endif %}", 2, 10, "'-'")]
    [TestCase("x\n  {{ messages|wordcount }}", 2, 14, "'wordcount'")]
    [TestCase("{{ messages[0].role() }}", 1, 15, "not a function")]
    [TestCase("{% for c in 'abc' %}{{ c }}{% endfor %}", 1, 13, "list or a dict")]
    [TestCase("{{ ' x '|trim() }}", 1, 9, "'trim'(...)")]
    [TestCase("{{ nope + 'x' }}", 1, 9, "undefined")]
    [TestCase("{{ 'a' ~ none }}", 1, 8, "none")]
    [TestCase("{{ (1, 2) }}", 1, 5, "tuple")]
    [TestCase("{{ 'a' < 'b' }}", 1, 8, "'<'")]
    [TestCase("{{ 1 // 0 }}", 1, 6, "division by zero")]
    [TestCase("{% break %}", 1, 1, "'break' outside")]
    [TestCase("{% set x.y = 1 %}", 1, 9, "namespace")]
    [TestCase("{% macro m(a) %}\n  {{ a.b.c - 1 }}\n{% endmacro %}{{ m(1) }}", 2, 12, "'-'")]
    [TestCase("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}", 1, 41, "at most 1")]
    public void RenderError_NamesLineAndColumn(string template, int line, int column, string reason)
    {
        var ex = Fails(template);
        Assert.That(ex.Reason, Does.Contain(reason));
        Assert.That((ex.Line, ex.Column), Is.EqualTo((line, column)), ex.Message);
    }

    [Test]
    public void RaiseException_IsOneLineNamingTheTemplatesMessage()
    {
        const string template = "{%- for m in messages %}\n  {%- if m.role not in ['user', 'assistant'] %}\n    {{- raise_exception('Unknown role: ' + m.role + '\\nsecond line') }}\n  {%- endif %}\n{%- endfor %}";
        var ex = Assert.Catch<ChatTemplateRaisedException>(() =>
            ChatTemplate.Parse(template).Render([new("user", "a"), new("narrator", "b")], addGenerationPrompt: false))!;
        Assert.That(ex.TemplateMessage, Is.EqualTo("Unknown role: narrator\nsecond line"));
        Assert.That(ex.Message, Does.Not.Contain('\n'));
        Assert.That(ex.Message, Does.Contain("Unknown role: narrator second line").And.Contain("raised"));
        Assert.That((ex.Line, ex.Column), Is.EqualTo((3, 9)));
    }

    [Test]
    public void Origin_IsNamedInTheMessage()
    {
        var ex = Assert.Catch<ChatTemplateException>(() => ChatTemplate.Parse("{{ x ", "/ckpt/tokenizer_config.json (chat_template)"))!;
        Assert.That(ex.Origin, Is.EqualTo("/ckpt/tokenizer_config.json (chat_template)"));
        Assert.That(ex.Message, Does.StartWith("Chat template error at /ckpt/tokenizer_config.json (chat_template), line 1, column"));
    }

    [Test]
    public void Variables_ThatRedefineRenderInputsOrHaveUnusableTypes_AreRejected()
    {
        var template = ChatTemplate.Parse("{{ x }}");
        Assert.Throws<ArgumentException>(() => template.Render(OneUser, false, new Dictionary<string, object?> { ["messages"] = "x" }));
        Assert.Throws<ArgumentException>(() => template.Render(OneUser, false, new Dictionary<string, object?> { ["true"] = false }));
        var ex = Assert.Throws<ArgumentException>(() => template.Render(OneUser, false, new Dictionary<string, object?> { ["x"] = new { A = 1 } }))!;
        Assert.That(ex.Message, Does.Contain("'x'"));
    }

    [Test]
    public void Variables_OfDotNetTypes_AreSeenAsTemplateValues()
    {
        var template = ChatTemplate.Parse("{{ n + 1 }} {{ f }} {{ flag }} {{ list|join(',') }} {{ d.k }} {{ d|tojson }} {{ nothing is none }} {{ m.role }}");
        var text = template.Render(OneUser, false, new Dictionary<string, object?>
        {
            ["n"] = 41,
            ["f"] = 2.5,
            ["flag"] = true,
            ["list"] = new[] { "a", "b" },
            ["d"] = new Dictionary<string, object?> { ["k"] = "v", ["z"] = 3L },
            ["nothing"] = null,
            ["m"] = new ChatMessage("tool", "x"),
        });
        Assert.That(text, Is.EqualTo("42 2.5 true a,b v {\"k\": \"v\", \"z\": 3} true tool"));
    }
}
