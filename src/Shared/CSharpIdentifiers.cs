namespace MLOps.Shared;

/// <summary>
/// What may name a generated class, namespace or property: letters, digits and '_', not starting with a digit, and
/// not a C# keyword, at most <see cref="MaxLength"/> characters. The manifest parser and the tasks check names with
/// it before the generator uses them; the trainer cuts property names from columns to that length.
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

    /// <summary>
    /// The longest generated name. Metadata names are limited to 1,023 UTF-8 bytes (CS7013), and a property's backing
    /// field adds 17 characters to its name; 128 characters of up to 3 bytes each stay well inside.
    /// </summary>
    public const int MaxLength = 128;

    /// <summary>
    /// Names a generated model class cannot take: the members and nested types it declares (a member may not share its
    /// class's name, CS0542), and <c>Program</c>, the class of top-level statements, which would hide the model (CS0117).
    /// </summary>
    public static readonly IReadOnlyCollection<string> ReservedClassNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "Program", "Input", "Output", "Load", "Predict", "PredictBatch", "Classes", "Schema", "Engine", "DriftMonitor", "Dispose",
        "InputShapes", "OutputShapes", "Fill", "Read", "ShapeKey",
    };

    /// <summary>The one property name <c>Input</c> cannot hold (its own name); columns that would take it get a suffix.</summary>
    public const string ReservedInputProperty = "Input";

    /// <summary>The one property name <c>Output</c> cannot hold (its own name); graph outputs that would take it get a suffix.</summary>
    public const string ReservedOutputProperty = "Output";

    /// <summary>A multiclass model's <c>Score</c> output is a vector, one score per class: its property is plural.</summary>
    public const string MulticlassScoresProperty = "Scores";

    /// <summary>The <c>Output</c> property of a trained model's output named <paramref name="outputName"/> (before de-duplication).</summary>
    public static string OutputProperty(string outputName, bool multiclass) =>
        multiclass && outputName == "Score" ? MulticlassScoresProperty : outputName;

    /// <summary>Whether <paramref name="name"/> can name a generated model class.</summary>
    public static bool IsValidClassName(string? name) => IsValid(name) && !ReservedClassNames.Contains(name!);

    public static bool IsValid(string? name)
    {
        if (name is null || name.Length == 0 || name.Length > MaxLength || Keywords.Contains(name))
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
