using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace MLOps.Build.Tasks;

/// <summary>
/// Items a task hands back to MSBuild with their text taken literally. <see cref="TaskItem"/>'s constructor and
/// <see cref="TaskItem.SetMetadata"/> take MSBuild's escaped form, and the targets expand <c>%(Metadata)</c> before
/// properties and items: a project folder named <c>a$(x)b</c> became <c>ab</c> in <c>Exists('%(ModelCardPath)')</c>, the
/// model card was never handed to the generator, and the build failed with CS0246 and nothing to say why. A path or a
/// message from data (a column named <c>rate %41</c>) is escaped on the way out, as MSBuild escapes what a project
/// declares.
/// </summary>
internal static class LiteralTaskItems
{
    /// <summary>The characters MSBuild reads as syntax in item specs and metadata (its EscapingUtilities), each written as <c>%XX</c>.</summary>
    private const string Reserved = "%*?@$();'";

    /// <summary>An item whose spec is <paramref name="itemSpec"/> as written.</summary>
    public static TaskItem Create(string itemSpec) => new(Escape(itemSpec));

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> as written (MSBuild escapes it).</summary>
    public static void SetLiteral(this ITaskItem item, string name, string value) =>
        ((ITaskItem2)item).SetMetadataValueLiteral(name, value);

    internal static string Escape(string text)
    {
        if (text.IndexOfAny(Reserved.ToCharArray()) < 0)
        {
            return text;
        }
        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (Reserved.IndexOf(c) >= 0)
            {
                escaped.Append('%').Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }
        return escaped.ToString();
    }
}
