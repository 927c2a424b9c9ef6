namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>Variables of one scope (the template, a for loop, a macro call) with a link to the enclosing one.</summary>
internal sealed class TemplateScope(TemplateScope? parent)
{
    private readonly Dictionary<string, TValue> _variables = new(StringComparer.Ordinal);

    public TemplateScope? Parent { get; } = parent;

    /// <summary>Sets <paramref name="name"/> in this scope (a <c>set</c> inside a loop does not change the outer variable).</summary>
    public void Set(string name, TValue value) => _variables[name] = value;

    public bool Has(string name) => _variables.ContainsKey(name);

    /// <summary>The variable's value from the nearest scope that has it, or undefined.</summary>
    public TValue Lookup(string name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
            if (scope._variables.TryGetValue(name, out var value)) return value;
        return TUndefined.Instance;
    }
}
