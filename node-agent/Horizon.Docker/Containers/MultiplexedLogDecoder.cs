using System.Buffers.Binary;
using System.Text;

namespace Horizon.Docker;

/// <summary>
/// Decodes the engine's log stream. Without a TTY the engine multiplexes stdout and stderr into
/// frames: one byte naming the stream, three zero bytes, a big-endian 32-bit length, then the
/// payload. Frames are writes, not lines, so text is reassembled per stream before splitting.
/// </summary>
internal static class MultiplexedLogDecoder
{
    private const int HeaderLength = 8;

    public static IReadOnlyList<ContainerLogLine> Decode(ReadOnlySpan<byte> body, string? mediaType)
    {
        if (body.IsEmpty)
        {
            return [];
        }
        // API 1.42+ labels the framing in the content type; 1.41 sends raw-stream for both, so the
        // header shape decides: a TTY container's text never starts with byte 0-2 and three zeros.
        var multiplexed = mediaType == "application/vnd.docker.multiplexed-stream" || LooksMultiplexed(body);
        return multiplexed ? DecodeFrames(body) : SplitLines(LogSource.Stdout, Encoding.UTF8.GetString(body), []);
    }

    private static bool LooksMultiplexed(ReadOnlySpan<byte> body) =>
        body.Length >= HeaderLength && body[0] <= 2 && body[1] == 0 && body[2] == 0 && body[3] == 0;

    private static List<ContainerLogLine> DecodeFrames(ReadOnlySpan<byte> body)
    {
        var lines = new List<ContainerLogLine>();
        var pending = new Dictionary<LogSource, StringBuilder>();
        var decoders = new Dictionary<LogSource, Decoder>();
        while (!body.IsEmpty)
        {
            if (body.Length < HeaderLength)
            {
                throw new DockerApiException($"the log stream ends inside a frame header ({body.Length} bytes left)");
            }
            var stream = (LogSource)body[0];
            var length = BinaryPrimitives.ReadUInt32BigEndian(body[4..HeaderLength]);
            if (body[0] > 2 || length > body.Length - HeaderLength)
            {
                throw new DockerApiException($"the log stream has a malformed frame (stream {body[0]}, length {length}, {body.Length - HeaderLength} bytes left)");
            }
            var payload = body.Slice(HeaderLength, (int)length);
            body = body[(HeaderLength + (int)length)..];
            // A decoder per stream keeps a UTF-8 sequence split across two frames intact.
            var decoder = decoders.TryGetValue(stream, out var d) ? d : decoders[stream] = Encoding.UTF8.GetDecoder();
            var chars = new char[decoder.GetCharCount(payload, flush: false)];
            decoder.GetChars(payload, chars, flush: false);
            var buffer = pending.TryGetValue(stream, out var b) ? b : pending[stream] = new StringBuilder();
            buffer.Append(chars);
            EmitCompleteLines(stream, buffer, lines);
        }
        foreach (var (stream, buffer) in pending.Where(p => p.Value.Length > 0))
        {
            lines.Add(new ContainerLogLine(stream, buffer.ToString().TrimEnd('\r')));
        }
        return lines;
    }

    private static void EmitCompleteLines(LogSource stream, StringBuilder buffer, List<ContainerLogLine> lines)
    {
        var text = buffer.ToString();
        var end = text.LastIndexOf('\n');
        if (end < 0)
        {
            return;
        }
        foreach (var line in text[..end].Split('\n'))
        {
            lines.Add(new ContainerLogLine(stream, line.TrimEnd('\r')));
        }
        buffer.Clear().Append(text.AsSpan(end + 1));
    }

    private static List<ContainerLogLine> SplitLines(LogSource stream, string text, List<ContainerLogLine> lines)
    {
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            lines.Add(new ContainerLogLine(stream, line.TrimEnd('\r')));
        }
        return lines;
    }
}
