namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>The tests of <c>x is name</c> (and of <c>selectattr</c>/<c>rejectattr</c>).</summary>
internal static class TemplateTests
{
    public static bool Exists(string name) => name is "boolean" or "callable" or "odd" or "even" or "false" or "true" or "none"
        or "string" or "number" or "integer" or "iterable" or "mapping" or "sequence" or "lower" or "upper" or "defined"
        or "undefined" or "equalto" or "eq";

    public static bool Run(string name, TValue value, TValue? argument = null) => name switch
    {
        "boolean" => value is TBool,
        "callable" => value is TFunction,
        "odd" => value is TInt odd ? odd.Value % 2 != 0 : throw new TemplateRuntimeError($"test 'odd' needs an integer, not {value.TypeName}"),
        "even" => value is TInt even ? even.Value % 2 == 0 : throw new TemplateRuntimeError($"test 'even' needs an integer, not {value.TypeName}"),
        "false" => value is TBool { Value: false },
        "true" => value is TBool { Value: true },
        "none" => value is TNull,
        "string" => value is TString,
        "number" => value is TInt or TFloat,
        "integer" => value is TInt,
        "iterable" => value is TArray { IsTuple: false } or TString,
        "mapping" => value is TObject,
        "sequence" => value is TArray or TObject or TString,
        "lower" => value is TString lower ? lower.Value == JsText.Lower(lower.Value) : throw new TemplateRuntimeError($"test 'lower' needs a string, not {value.TypeName}"),
        "upper" => value is TString upper ? upper.Value == JsText.Upper(upper.Value) : throw new TemplateRuntimeError($"test 'upper' needs a string, not {value.TypeName}"),
        "defined" => value is not TUndefined,
        "undefined" => value is TUndefined,
        "equalto" or "eq" => ValueCompare.StrictEquals(value, argument ?? TUndefined.Instance),
        _ => throw new TemplateRuntimeError($"unknown test '{name}'"),
    };
}
