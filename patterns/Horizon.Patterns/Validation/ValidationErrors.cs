namespace Horizon.Patterns.Validation;

/// <summary>Collects <see cref="ValidationError"/>s while a validator walks a document.</summary>
internal sealed class ValidationErrors
{
    private readonly List<ValidationError> errors = [];

    public IReadOnlyList<ValidationError> Items => errors;

    public void Add(string path, string message) => errors.Add(new ValidationError(path, message));

    public void AddRange(string prefix, IEnumerable<ValidationError> inner)
    {
        foreach (var error in inner)
        {
            errors.Add(new ValidationError(Join(prefix, error.Path), error.Message));
        }
    }

    public static string Join(string prefix, string path) =>
        prefix.Length == 0 ? path : path.Length == 0 ? prefix : path[0] == '[' ? prefix + path : prefix + "." + path;
}
