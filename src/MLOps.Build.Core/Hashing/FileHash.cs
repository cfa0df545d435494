using System.Security.Cryptography;

namespace MLOps.Build.Hashing;

public static class FileHash
{
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var sha = SHA256.Create();
        return ToHex(sha.ComputeHash(stream));
    }

    public static string Sha256(byte[] bytes)
    {
        using var sha = SHA256.Create();
        return ToHex(sha.ComputeHash(bytes));
    }

    public static string ToHex(byte[] hash)
    {
        var chars = new char[hash.Length * 2];
        for (var i = 0; i < hash.Length; i++)
        {
            chars[2 * i] = "0123456789abcdef"[hash[i] >> 4];
            chars[2 * i + 1] = "0123456789abcdef"[hash[i] & 0xF];
        }
        return new string(chars);
    }
}
