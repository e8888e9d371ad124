using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Horizon.Nats.Internal;

/// <summary>Reads and writes the NATS/1.0 header block.</summary>
internal static class HeaderCodec
{
    private static ReadOnlySpan<byte> Version => "NATS/1.0"u8;

    /// <summary>Bytes <see cref="Write"/> needs for <paramref name="headers"/>.</summary>
    public static int GetLength(NatsHeaders headers)
    {
        var length = Version.Length + 2 + 2;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                length += Encoding.UTF8.GetByteCount(name) + 2 + Encoding.UTF8.GetByteCount(value) + 2;
            }
        }
        return length;
    }

    public static int Write(NatsHeaders headers, Span<byte> destination)
    {
        var position = 0;
        Version.CopyTo(destination);
        position += Version.Length;
        position += WriteCrLf(destination[position..]);
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                position += Encoding.UTF8.GetBytes(name, destination[position..]);
                destination[position++] = (byte)':';
                destination[position++] = (byte)' ';
                position += Encoding.UTF8.GetBytes(value, destination[position..]);
                position += WriteCrLf(destination[position..]);
            }
        }
        position += WriteCrLf(destination[position..]);
        return position;
    }

    /// <summary>Parses a header block as the server delivers it.</summary>
    /// <exception cref="NatsProtocolException">The block does not start with NATS/1.0 or a line is malformed.</exception>
    public static NatsHeaders Parse(in ReadOnlySequence<byte> block)
    {
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> span;
            if (block.IsSingleSegment)
            {
                span = block.FirstSpan;
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent((int)block.Length);
                block.CopyTo(rented);
                span = rented.AsSpan(0, (int)block.Length);
            }
            return Parse(span);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static NatsHeaders Parse(ReadOnlySpan<byte> span)
    {
        var lineEnd = span.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? span : span[..lineEnd];
        if (!statusLine.StartsWith(Version))
        {
            throw new NatsProtocolException($"header block does not start with NATS/1.0: '{ProtocolParser.Printable(statusLine)}'");
        }
        var status = statusLine[Version.Length..].Trim((byte)' ');
        var code = 0;
        var description = "";
        if (!status.IsEmpty)
        {
            var space = status.IndexOf((byte)' ');
            var codeText = space < 0 ? status : status[..space];
            if (!Utf8Parser.TryParse(codeText, out code, out var consumed) || consumed != codeText.Length)
            {
                throw new NatsProtocolException($"malformed status '{ProtocolParser.Printable(status)}'");
            }
            if (space >= 0)
            {
                description = Encoding.UTF8.GetString(status[(space + 1)..].Trim((byte)' '));
            }
        }
        var headers = new NatsHeaders { Code = code, Description = description };
        var rest = lineEnd < 0 ? [] : span[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            if (line.IsEmpty)
            {
                continue;
            }
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new NatsProtocolException($"malformed header line '{ProtocolParser.Printable(line)}'");
            }
            var name = Encoding.UTF8.GetString(line[..colon].Trim((byte)' '));
            var value = Encoding.UTF8.GetString(line[(colon + 1)..].Trim((byte)' '));
            headers.AddReceived(name, value);
        }
        return headers;
    }

    private static int WriteCrLf(Span<byte> destination)
    {
        destination[0] = (byte)'\r';
        destination[1] = (byte)'\n';
        return 2;
    }
}
