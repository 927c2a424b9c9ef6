namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>Traversal of the syntax tree.</summary>
internal static class TemplateNodes
{
    /// <summary><paramref name="node"/> and every node below it.</summary>
    public static IEnumerable<Node> DescendantsAndSelf(Node node)
    {
        yield return node;
        foreach (var child in Children(node))
            foreach (var descendant in DescendantsAndSelf(child))
                yield return descendant;
    }

    private static IEnumerable<Node> Children(Node node) => node switch
    {
        IfNode n => [n.Test, .. n.Body, .. n.Alternate],
        ForNode n => [n.Target, n.Iterable, .. Optional(n.Filter), .. n.Body, .. n.Else],
        SetNode n => [n.Target, .. Optional(n.Value), .. n.Body],
        MacroNode n => [.. n.Parameters.SelectMany(p => Optional(p.Default)), .. n.Body],
        ArrayLiteral n => n.Items,
        TupleLiteral n => n.Items,
        DictLiteral n => n.Entries.SelectMany(e => new[] { e.Key, e.Value }),
        MemberNode n => [n.Object, n.Property],
        SliceNode n => [.. Optional(n.Start), .. Optional(n.Stop), .. Optional(n.Step)],
        CallNode n => [n.Callee, .. n.Arguments.Select(a => a.Value)],
        FilterNode n => [n.Operand, .. (n.Arguments ?? []).Select(a => a.Value)],
        TestNode n => [n.Operand],
        UnaryNode n => [n.Operand],
        BinaryNode n => [n.Left, n.Right],
        TernaryNode n => [n.Condition, n.WhenTrue, n.WhenFalse],
        SelectNode n => [n.Value, n.Condition],
        _ => [],
    };

    private static IEnumerable<Node> Optional(Node? node) => node is null ? [] : [node];
}
