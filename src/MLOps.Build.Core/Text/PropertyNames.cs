namespace MLOps.Build.Text;

/// <summary>
/// The one rule that turns column names into C# property names (documented in docs/manifest.md):
/// words are runs of letters and digits, everything else separates them; each word starts upper-case and
/// keeps the rest (<c>temp_max</c> → <c>TempMax</c>, <c>Body Mass (g)</c> → <c>BodyMassG</c>); a name that
/// starts with a digit gets a leading <c>_</c>; a name with no letters or digits becomes <c>Column{n}</c>;
/// a name longer than <see cref="MLOps.Shared.CSharpIdentifiers.MaxLength"/> (less room for a suffix) is cut;
/// a name taken earlier (or reserved) gets the smallest suffix 2, 3, … that makes it unique.
/// </summary>
public static class PropertyNames
{
    /// <summary>What a name keeps before its uniqueness suffix (up to 8 digits), within the identifier limit.</summary>
    private const int MaxBaseLength = MLOps.Shared.CSharpIdentifiers.MaxLength - 8;

    public static string ToPascalCase(string column, int position)
    {
        var builder = new System.Text.StringBuilder();
        var startOfWord = true;
        foreach (var c in column)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(startOfWord ? char.ToUpperInvariant(c) : c);
                startOfWord = false;
            }
            else
            {
                startOfWord = true;
            }
        }
        if (builder.Length == 0)
        {
            return "Column" + (position + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (char.IsDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }
        if (builder.Length > MaxBaseLength)
        {
            builder.Length = MaxBaseLength;
        }
        return builder.ToString();
    }

    public static IReadOnlyList<string> Assign(IReadOnlyList<string> columns, IEnumerable<string>? reserved = null)
    {
        var taken = new HashSet<string>(reserved ?? [], StringComparer.Ordinal);
        var result = new string[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var name = ToPascalCase(columns[i], i);
            var unique = name;
            for (var suffix = 2; !taken.Add(unique); suffix++)
            {
                unique = name + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            result[i] = unique;
        }
        return result;
    }
}
