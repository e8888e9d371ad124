namespace Horizon.Nats;

/// <summary>Checks subjects before they reach the wire, so a mistake fails at the call that made it.</summary>
public static class NatsSubject
{
    /// <summary>Checks a subject to publish to: dot-separated non-empty tokens, no whitespace, no wildcards.</summary>
    /// <exception cref="ArgumentException">The subject is empty or malformed; the message says how.</exception>
    public static void ValidatePublish(string subject, string parameterName = "subject") => Validate(subject, wildcards: false, parameterName);

    /// <summary>Checks a subject to subscribe to: like a publish subject, and <c>*</c> may stand for one token, <c>&gt;</c> for the rest.</summary>
    /// <exception cref="ArgumentException">The subject is empty or malformed; the message says how.</exception>
    public static void ValidateSubscribe(string subject, string parameterName = "subject") => Validate(subject, wildcards: true, parameterName);

    /// <summary>Checks a queue group name: non-empty, no whitespace.</summary>
    /// <exception cref="ArgumentException">The name is empty or holds whitespace.</exception>
    public static void ValidateQueueGroup(string queueGroup, string parameterName = "queueGroup")
    {
        ArgumentException.ThrowIfNullOrEmpty(queueGroup, parameterName);
        if (HasWhitespace(queueGroup))
        {
            throw new ArgumentException($"queue group '{queueGroup}' holds whitespace", parameterName);
        }
    }

    /// <summary>True when the subject holds no wildcard token.</summary>
    public static bool IsLiteral(string subject)
    {
        var span = subject.AsSpan();
        foreach (var range in span.Split('.'))
        {
            var token = span[range];
            if (token is "*" or ">")
            {
                return false;
            }
        }
        return true;
    }

    private static void Validate(string subject, bool wildcards, string parameterName)
    {
        if (IsPlainLiteral(subject))
        {
            return;
        }
        ValidateSlow(subject, wildcards, parameterName);
    }

    /// <summary>One pass over the common case: letters, digits and the usual punctuation, no empty tokens.</summary>
    private static bool IsPlainLiteral(string subject)
    {
        if (subject is null || subject.Length == 0 || subject[0] == '.' || subject[^1] == '.')
        {
            return false;
        }
        var previousDot = false;
        foreach (var c in subject)
        {
            if (c == '.')
            {
                if (previousDot)
                {
                    return false;
                }
                previousDot = true;
                continue;
            }
            previousDot = false;
            if (c <= ' ' || c == '*' || c == '>' || c > '~')
            {
                return false;
            }
        }
        return true;
    }

    private static void ValidateSlow(string subject, bool wildcards, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(subject, parameterName);
        if (subject.Length == 0)
        {
            throw new ArgumentException("the subject is empty", parameterName);
        }
        if (HasWhitespace(subject))
        {
            throw new ArgumentException($"subject '{subject}' holds whitespace", parameterName);
        }
        var span = subject.AsSpan();
        var position = 0;
        foreach (var range in span.Split('.'))
        {
            var token = span[range];
            var (start, _) = range.GetOffsetAndLength(span.Length);
            var last = start + token.Length == span.Length;
            if (token.IsEmpty)
            {
                throw new ArgumentException($"subject '{subject}' has an empty token at position {position}", parameterName);
            }
            var hasWildcardChar = token.IndexOfAny('*', '>') >= 0;
            if (hasWildcardChar)
            {
                if (!wildcards)
                {
                    throw new ArgumentException($"subject '{subject}' holds a wildcard; one cannot publish to a wildcard", parameterName);
                }
                if (token is not ("*" or ">"))
                {
                    throw new ArgumentException($"subject '{subject}': a wildcard must be a whole token", parameterName);
                }
                if (token is ">" && !last)
                {
                    throw new ArgumentException($"subject '{subject}': '>' may only be the last token", parameterName);
                }
            }
            position++;
        }
    }

    private static readonly System.Buffers.SearchValues<char> Whitespace = System.Buffers.SearchValues.Create(" \t\r\n\f\v\0");

    private static bool HasWhitespace(string value) => value.AsSpan().IndexOfAny(Whitespace) >= 0;
}
