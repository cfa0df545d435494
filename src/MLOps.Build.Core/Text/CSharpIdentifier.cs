namespace MLOps.Build.Text;

public static class CSharpIdentifier
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
        if (string.IsNullOrEmpty(name) || Keywords.Contains(name!))
        {
            return false;
        }
        if (!(char.IsLetter(name![0]) || name[0] == '_'))
        {
            return false;
        }
        return name.All(c => char.IsLetterOrDigit(c) || c == '_');
    }

    /// <summary>A dotted namespace such as <c>Contoso.Models</c>.</summary>
    public static bool IsValidNamespace(string? name) =>
        !string.IsNullOrEmpty(name) && name!.Split('.').All(IsValid);
}
