using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Horizon.Nats.Internal;

/// <summary>
/// Splits the server's byte stream into protocol operations without copying payloads: control lines are read
/// in place (or through a stack buffer when they straddle segments) and message bodies are handed on as slices
/// of the reader's pooled buffers.
/// </summary>
internal static class ProtocolParser
{
    /// <summary>Longest control line other than INFO; nats-server's own limit is 4 KiB.</summary>
    public const int MaxControlLine = 4096;

    /// <summary>INFO carries cluster URLs and can be long, but not unbounded.</summary>
    public const int MaxInfoLine = 1024 * 1024;

    /// <summary>Bodies above this are refused even if a server claimed such a max_payload.</summary>
    public const long MaxMessageSize = 64L * 1024 * 1024;

    /// <summary>
    /// Consumes every complete operation at the front of <paramref name="buffer"/> and leaves the rest in it.
    /// Returns false when the handler paused; true when more bytes are needed.
    /// </summary>
    /// <exception cref="NatsProtocolException">The bytes are not the NATS protocol.</exception>
    public static bool Parse(ref ReadOnlySequence<byte> buffer, IProtocolHandler handler)
    {
        while (!buffer.IsEmpty)
        {
            CheckOperationStart(buffer.FirstSpan[0]);
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is null)
            {
                if (buffer.Length > MaxInfoLine || (buffer.Length > MaxControlLine && !StartsWithInfo(buffer)))
                {
                    throw new NatsProtocolException("control line too long");
                }
                return true;
            }
            var lineSequence = buffer.Slice(0, newline.Value);
            var rest = buffer.Slice(buffer.GetPosition(1, newline.Value));
            var length = (int)Math.Min(lineSequence.Length, int.MaxValue);
            if (length > MaxInfoLine)
            {
                throw new NatsProtocolException("control line too long");
            }
            byte[]? rented = null;
            try
            {
                ReadOnlySpan<byte> line;
                if (lineSequence.IsSingleSegment)
                {
                    line = lineSequence.FirstSpan;
                }
                else
                {
                    rented = ArrayPool<byte>.Shared.Rent(length);
                    lineSequence.CopyTo(rented);
                    line = rented.AsSpan(0, length);
                }
                if (!line.IsEmpty && line[^1] == '\r')
                {
                    line = line[..^1];
                }
                var result = ParseLine(line, ref rest, handler);
                if (result == LineResult.NeedMore)
                {
                    return true;
                }
                buffer = rest;
                if (result == LineResult.Paused)
                {
                    return false;
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }
        return true;
    }

    private enum LineResult
    {
        Done,
        NeedMore,
        Paused,
    }

    private static LineResult ParseLine(ReadOnlySpan<byte> line, ref ReadOnlySequence<byte> rest, IProtocolHandler handler)
    {
        var space = line.IndexOfAny((byte)' ', (byte)'\t');
        var op = space < 0 ? line : line[..space];
        var args = space < 0 ? [] : line[(space + 1)..];
        if (Ascii.EqualsIgnoreCase(op, "MSG"u8))
        {
            return ParseMsg(args, headers: false, ref rest, handler);
        }
        if (Ascii.EqualsIgnoreCase(op, "HMSG"u8))
        {
            return ParseMsg(args, headers: true, ref rest, handler);
        }
        if (line.Length > MaxControlLine && !Ascii.EqualsIgnoreCase(op, "INFO"u8))
        {
            throw new NatsProtocolException("control line too long");
        }
        if (Ascii.EqualsIgnoreCase(op, "PING"u8))
        {
            handler.OnPing();
        }
        else if (Ascii.EqualsIgnoreCase(op, "PONG"u8))
        {
            handler.OnPong();
        }
        else if (Ascii.EqualsIgnoreCase(op, "+OK"u8))
        {
            handler.OnOk();
        }
        else if (Ascii.EqualsIgnoreCase(op, "-ERR"u8))
        {
            handler.OnError(ErrorText(args));
        }
        else if (Ascii.EqualsIgnoreCase(op, "INFO"u8))
        {
            handler.OnInfo(args.Trim((byte)' '));
        }
        else
        {
            throw new NatsProtocolException($"unknown protocol operation '{Printable(op)}'");
        }
        return LineResult.Done;
    }

    private static LineResult ParseMsg(ReadOnlySpan<byte> args, bool headers, ref ReadOnlySequence<byte> rest, IProtocolHandler handler)
    {
        // MSG <subject> <sid> [reply-to] <#bytes>, HMSG <subject> <sid> [reply-to] <#header bytes> <#total bytes>
        Span<Range> tokens = stackalloc Range[6];
        var count = Tokenize(args, tokens);
        var minimum = headers ? 4 : 3;
        if (count < minimum || count > minimum + 1)
        {
            throw new NatsProtocolException($"malformed {(headers ? "HMSG" : "MSG")} arguments '{Printable(args)}'");
        }
        var subject = args[tokens[0]];
        var sid = ParseNumber(args[tokens[1]], "sid");
        var replyTo = count == minimum + 1 ? args[tokens[2]] : [];
        var total = ParseNumber(args[tokens[count - 1]], "size");
        var headerLength = headers ? ParseNumber(args[tokens[count - 2]], "header size") : 0;
        if (total > MaxMessageSize || headerLength > total)
        {
            throw new NatsProtocolException($"message size {total} (headers {headerLength}) is out of bounds");
        }
        if (rest.Length < total + 2)
        {
            return LineResult.NeedMore;
        }
        var body = rest.Slice(0, total);
        var terminator = rest.Slice(total, 2);
        Span<byte> end = stackalloc byte[2];
        terminator.CopyTo(end);
        if (end[0] != '\r' || end[1] != '\n')
        {
            throw new NatsProtocolException("message body is not followed by CRLF");
        }
        var accepted = handler.OnMsg(subject, sid, replyTo, body.Slice(0, headerLength), body.Slice(headerLength));
        rest = rest.Slice(total + 2);
        return accepted ? LineResult.Done : LineResult.Paused;
    }

    private static int Tokenize(ReadOnlySpan<byte> args, Span<Range> tokens)
    {
        var count = 0;
        var i = 0;
        while (i < args.Length)
        {
            while (i < args.Length && args[i] is (byte)' ' or (byte)'\t')
            {
                i++;
            }
            if (i == args.Length)
            {
                break;
            }
            var start = i;
            while (i < args.Length && args[i] is not ((byte)' ' or (byte)'\t'))
            {
                i++;
            }
            if (count == tokens.Length)
            {
                return count + 1;
            }
            tokens[count++] = start..i;
        }
        return count;
    }

    private static long ParseNumber(ReadOnlySpan<byte> text, string what)
    {
        if (!Utf8Parser.TryParse(text, out long value, out var consumed) || consumed != text.Length || value < 0)
        {
            throw new NatsProtocolException($"malformed {what} '{Printable(text)}'");
        }
        return value;
    }

    private static void CheckOperationStart(byte first)
    {
        // Every operation starts with one of these; anything else is garbage and fails at once rather than
        // after buffering up to the line limit.
        switch (first)
        {
            case (byte)'M' or (byte)'m' or (byte)'H' or (byte)'h' or (byte)'P' or (byte)'p'
                or (byte)'I' or (byte)'i' or (byte)'+' or (byte)'-':
                return;
            default:
                throw new NatsProtocolException($"unexpected byte 0x{first:x2} where an operation should start");
        }
    }

    private static bool StartsWithInfo(ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[4];
        if (buffer.Length < 4)
        {
            return false;
        }
        buffer.Slice(0, 4).CopyTo(head);
        return Ascii.EqualsIgnoreCase(head, "INFO"u8);
    }

    private static string ErrorText(ReadOnlySpan<byte> args)
    {
        var text = args.Trim((byte)' ');
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'')
        {
            text = text[1..^1];
        }
        return Encoding.UTF8.GetString(text);
    }

    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var shown = bytes.Length > 64 ? bytes[..64] : bytes;
        var builder = new StringBuilder(shown.Length);
        foreach (var b in shown)
        {
            builder.Append(b is >= 32 and < 127 ? (char)b : '?');
        }
        return builder.ToString();
    }
}
