namespace Horizon.Patterns.Validation;

/// <summary>
/// Thrown when a document (service definition, pattern, policy, deployment string, Open Horizon file)
/// is malformed JSON, has unknown fields or wrong types, or fails validation. <see cref="Errors"/>
/// lists every problem with its path.
/// </summary>
public sealed class ModelFormatException : FormatException
{
    public ModelFormatException()
        : this([new ValidationError("", "the document is invalid")])
    {
    }

    public ModelFormatException(string message)
        : this([new ValidationError("", message)])
    {
    }

    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ValidationError("", message)];
    }

    public ModelFormatException(IReadOnlyList<ValidationError> errors, Exception? innerException = null)
        : base(string.Join(Environment.NewLine, (errors ?? throw new ArgumentNullException(nameof(errors))).Select(e => e.ToString())), innerException)
    {
        Errors = errors;
    }

    public IReadOnlyList<ValidationError> Errors { get; }
}
