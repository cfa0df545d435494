using System.Data.Common;

namespace MLOps.Build.Trainer.Snapshots;

/// <summary>
/// A SQLite result's column types, read from its values. SQLite types each value, not each column: a column declared
/// INTEGER may hold text, and an expression has no declared type at all. Reading a text cell as a number would give 0
/// without a word, so the snapshot's type comes from the storage classes the column's values actually have.
/// </summary>
internal static class SqliteTypes
{
    /// <param name="wrapped">The query as a derived table (<c>SELECT * FROM (…) AS alias</c>).</param>
    public static async Task<List<(string Name, Type Type, string TypeName)>> OfValuesAsync(DbConnection connection, string wrapped, IReadOnlyList<string> names)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", names.Select(n => $"group_concat(DISTINCT typeof({QueryRunner.Identifier(n)}))"))} FROM ({wrapped})";
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var fields = new List<(string, Type, string)>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            var classes = reader.IsDBNull(i) ? [] : reader.GetString(i).Split(',');
            fields.Add((names[i], TypeOf(classes), classes.Length == 0 ? "null" : string.Join(" and ", classes.Order(StringComparer.Ordinal))));
        }
        return fields;
    }

    /// <summary>The widest type the storage classes fit: any text makes text (numbers read as their text), else real, else integer.</summary>
    internal static Type TypeOf(IReadOnlyCollection<string> storageClasses) =>
        storageClasses.Contains("blob") ? typeof(byte[])
        : storageClasses.Contains("text") ? typeof(string)
        : storageClasses.Contains("real") ? typeof(double)
        : storageClasses.Contains("integer") ? typeof(long)
        : typeof(string);
}
