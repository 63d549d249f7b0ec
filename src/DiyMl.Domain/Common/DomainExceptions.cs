namespace DiyMl.Domain.Common;

/// <summary>The resource does not exist or is not the caller's; both answer 404.</summary>
public sealed class NotFoundException(string resource, string id)
    : Exception($"{resource} '{id}' was not found.")
{
    public string Resource { get; } = resource;
}

/// <summary>Input broke a rule; errors are keyed by the field a person should fix.</summary>
public sealed class DomainValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception(string.Join(" ", errors.SelectMany(e => e.Value)))
{
    public DomainValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>The request clashes with the current state (name taken, job already finished…).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>The caller is known but not allowed (e.g. a locked account, a non-admin on an admin action).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>Over a configured limit (quota, file size): answered with 413.</summary>
public sealed class LimitExceededException(string message) : Exception(message);
