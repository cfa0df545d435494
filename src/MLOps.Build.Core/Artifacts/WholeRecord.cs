using System.Text.Json;

namespace MLOps.Build.Artifacts;

/// <summary>
/// Records read back from files others may write (a committed lock a hand edit changed, a run history, a trial cache a
/// server filled) check in <c>IJsonOnDeserialized.OnDeserialized</c> that every part they always have is there: the
/// serializer leaves a missing one null, which its readers would dereference. One that is not whole is a
/// <see cref="JsonException"/>, so every reader treats it as it treats a damaged file.
/// </summary>
internal static class WholeRecord
{
    public static void Require(bool whole, string what)
    {
        if (!whole)
        {
            throw new JsonException($"The {what} lacks a part every one has (edited by hand, or written by something else).");
        }
    }
}
