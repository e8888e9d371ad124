using System.Text.RegularExpressions;

namespace Horizon.Patterns.Deployment;

/// <summary>
/// A Docker image reference split into registry, repository, tag and digest:
/// <c>127.0.0.1:5000/acme/web:1.0@sha256:…</c>.
/// </summary>
public sealed partial record ImageReference(string? Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>Whether the image is pinned by a <c>sha256</c> digest, so what runs is exactly what was signed.</summary>
    public bool IsPinned => Digest is not null;

    /// <summary>The reference without tag or digest: <c>registry/repository</c>.</summary>
    public string Name => Registry is null ? Repository : $"{Registry}/{Repository}";

    /// <summary>Parses a reference.</summary>
    /// <exception cref="FormatException">The reference is empty, has an invalid digest or an invalid repository name.</exception>
    public static ImageReference Parse(string reference) =>
        TryParse(reference, out var image, out var error) ? image : throw new FormatException(error);

    /// <summary>Parses a reference; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? reference, out ImageReference image, out string error)
    {
        image = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(reference))
        {
            error = "the image is empty";
            return false;
        }

        var rest = reference;
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                error = $"\"{reference}\" has an invalid digest; expected sha256: followed by 64 lowercase hex digits";
                return false;
            }
        }

        string? tag = null;
        var slash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > slash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }

        string? registry = null;
        var firstSlash = rest.IndexOf('/', StringComparison.Ordinal);
        if (firstSlash > 0)
        {
            var first = rest[..firstSlash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first;
                rest = rest[(firstSlash + 1)..];
            }
        }

        if (!RepositoryPattern().IsMatch(rest) || (tag is not null && !TagPattern().IsMatch(tag)))
        {
            error = $"\"{reference}\" is not a valid image reference";
            return false;
        }

        image = new ImageReference(registry, rest, tag, digest);
        return true;
    }

    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();
}
