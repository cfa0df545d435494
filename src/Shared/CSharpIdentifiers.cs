namespace MLOps.Shared;

/// <summary>
/// What may name a generated class, namespace or property: letters, digits and '_', not starting with a digit, and
/// not a C# keyword. The manifest parser and the tasks check names with it before the generator uses them.
/// </summary>
#if MLOPS_BUILD_CORE
public
#else
internal
#endif
static class CSharpIdentifiers
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    public static bool IsValid(string? name)
    {
        if (name is null || name.Length == 0 || Keywords.Contains(name))
        {
            return false;
        }
        if (!(char.IsLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A dotted namespace such as <c>Contoso.Models</c>.</summary>
    public static bool IsValidNamespace(string? name)
    {
        if (name is null || name.Length == 0)
        {
            return false;
        }
        foreach (var part in name.Split('.'))
        {
            if (!IsValid(part))
            {
                return false;
            }
        }
        return true;
    }
}
