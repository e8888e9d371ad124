namespace Horizon.Patterns.Validation;

/// <summary>One problem found in a document: where (<c>services[0].serviceVersions[1].version</c>) and what.</summary>
/// <param name="Path">The JSON path below the document root, without a leading <c>$</c>; empty for the root itself.</param>
/// <param name="Message">What is wrong, e.g. <c>"1.x" is not a version</c>.</param>
public sealed record ValidationError(string Path, string Message)
{
    /// <summary>The error as users see it: <c>path: message</c>.</summary>
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
