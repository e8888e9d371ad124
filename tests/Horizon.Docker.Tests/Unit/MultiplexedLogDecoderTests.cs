using System.Buffers.Binary;
using System.Text;
using Xunit;

namespace Horizon.Docker.Tests.Unit;

public sealed class MultiplexedLogDecoderTests
{
    private static byte[] Frame(LogSource source, byte[] payload)
    {
        var frame = new byte[8 + payload.Length];
        frame[0] = (byte)source;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4, 4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    private static byte[] Frame(LogSource source, string text) => Frame(source, Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Frames_SplitAcrossLines_AreReassembledPerStream()
    {
        byte[] body = [.. Frame(LogSource.Stdout, "hel"), .. Frame(LogSource.Stderr, "warn\n"), .. Frame(LogSource.Stdout, "lo\nworld\n")];

        var lines = MultiplexedLogDecoder.Decode(body, "application/vnd.docker.raw-stream");

        Assert.Equal([new(LogSource.Stderr, "warn"), new(LogSource.Stdout, "hello"), new(LogSource.Stdout, "world")], lines);
    }

    [Fact]
    public void AUtf8Character_SplitBetweenTwoFrames_SurvivesIntact()
    {
        var bytes = Encoding.UTF8.GetBytes("größe\n");
        byte[] body = [.. Frame(LogSource.Stdout, bytes[..3]), .. Frame(LogSource.Stdout, bytes[3..])];

        Assert.Equal([new(LogSource.Stdout, "größe")], MultiplexedLogDecoder.Decode(body, null));
    }

    [Fact]
    public void ALastLineWithoutNewline_AndEmptyLines_AreKept()
    {
        byte[] body = [.. Frame(LogSource.Stdout, "a\n\nb\r\n"), .. Frame(LogSource.Stdout, "tail")];

        Assert.Equal(
            [new(LogSource.Stdout, "a"), new(LogSource.Stdout, ""), new(LogSource.Stdout, "b"), new(LogSource.Stdout, "tail")],
            MultiplexedLogDecoder.Decode(body, null));
    }

    [Fact]
    public void ATtyStream_WithoutFrames_IsReadAsPlainStdout()
    {
        var body = Encoding.UTF8.GetBytes("plain one\r\nplain two\r\n");

        Assert.Equal([new(LogSource.Stdout, "plain one"), new(LogSource.Stdout, "plain two")], MultiplexedLogDecoder.Decode(body, "application/vnd.docker.raw-stream"));
    }

    [Fact]
    public void AnEmptyBody_HasNoLines() => Assert.Empty(MultiplexedLogDecoder.Decode([], null));

    [Fact]
    public void AFrameLongerThanTheBody_IsAClearError()
    {
        var body = Frame(LogSource.Stdout, "truncated payload")[..12];

        var error = Assert.Throws<DockerApiException>(() => MultiplexedLogDecoder.Decode(body, "application/vnd.docker.multiplexed-stream"));
        Assert.Contains("malformed frame", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStreamEndingInsideAHeader_IsAClearError()
    {
        byte[] body = [.. Frame(LogSource.Stdout, "ok\n"), 1, 0, 0];

        var error = Assert.Throws<DockerApiException>(() => MultiplexedLogDecoder.Decode(body, null));
        Assert.Contains("inside a frame header", error.Message, StringComparison.Ordinal);
    }
}
