namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>The names every template sees: true/false/none (also capitalized), <c>namespace</c>, <c>raise_exception</c>,
/// <c>range</c> and <c>strftime_now</c>.</summary>
internal static class TemplateGlobals
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "true", "false", "none", "True", "False", "None", "namespace", "raise_exception", "range", "strftime_now",
    };

    public static void Declare(TemplateScope scope, Func<DateTime> clock)
    {
        scope.Set("true", TBool.True);
        scope.Set("false", TBool.False);
        scope.Set("none", TNull.Instance);
        scope.Set("True", TBool.True);
        scope.Set("False", TBool.False);
        scope.Set("None", TNull.Instance);
        scope.Set("namespace", new TFunction("namespace", Namespace));
        scope.Set("raise_exception", new TFunction("raise_exception", args =>
            throw new TemplateRaise(args.At(0) is { } message and not (TNull or TUndefined) ? ValueText.JoinItem(message) : "raise_exception() called")));
        scope.Set("range", new TFunction("range", Range));
        scope.Set("strftime_now", new TFunction("strftime_now", args =>
            args.At(0) is TString format ? new TString(Strftime(clock(), format.Value)) : throw new TemplateRuntimeError("strftime_now() needs a format string")));
    }

    private static TValue Namespace(CallArguments args)
    {
        if (args.Positional.Count > 1) throw new TemplateRuntimeError($"namespace() takes at most one positional argument, got {args.Positional.Count}");
        var map = new OrderedMap();
        switch (args.At(0))
        {
            case null:
                break;
            case TObject source:
                foreach (var (key, value) in source.Map.Entries) map.Set(key, value);
                break;
            case TArray pairs:
                foreach (var pair in pairs.Items)
                {
                    if (pair is not TArray { Items: [TString key, var value] }) throw new TemplateRuntimeError("namespace() expects [key, value] pairs with string keys");
                    map.Set(key.Value, value);
                }
                break;
            default:
                throw new TemplateRuntimeError($"namespace() cannot read a {args.At(0)!.TypeName}");
        }
        foreach (var (key, value) in args.Keywords.Entries) map.Set(key, value);
        return new TNamespace(map);
    }

    private static TValue Range(CallArguments args)
    {
        if (args.Keywords.Count > 0 || args.Positional.Count is 0 or > 3 || args.Positional.Any(a => a is not TInt))
            throw new TemplateRuntimeError("range() takes one to three integers");
        var values = args.Positional.Select(a => ((TInt)a).Value).ToArray();
        var (start, stop, step) = values.Length switch
        {
            1 => (0L, values[0], 1L),
            2 => (values[0], values[1], 1L),
            _ => (values[0], values[1], values[2]),
        };
        if (step == 0) throw new TemplateRuntimeError("range() step must not be zero");
        var items = new List<TValue>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            items.Add(new TInt(i));
            if (items.Count > 1_000_000) throw new TemplateRuntimeError("range() is too long");
        }
        return new TArray(items);
    }

    /// <summary>%Y %m %d %b %B %H %M %% in English; other directives are kept as written.</summary>
    private static string Strftime(DateTime now, string format)
    {
        var sb = new StringBuilder();
        var english = CultureInfo.GetCultureInfo("en-US");
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var directive = format[++i];
            sb.Append(directive switch
            {
                'Y' => now.Year.ToString(CultureInfo.InvariantCulture),
                'm' => now.Month.ToString("00", CultureInfo.InvariantCulture),
                'd' => now.Day.ToString("00", CultureInfo.InvariantCulture),
                'b' => now.ToString("MMM", english),
                'B' => now.ToString("MMMM", english),
                'H' => now.Hour.ToString("00", CultureInfo.InvariantCulture),
                'M' => now.Minute.ToString("00", CultureInfo.InvariantCulture),
                '%' => "%",
                _ => "%" + directive,
            });
        }
        return sb.ToString();
    }
}
