using System.Buffers;
using System.Text;
using Horizon.Nats.Internal;
using Xunit;

namespace Horizon.Nats.Tests;

public sealed class ProtocolParserTests
{
    private sealed class Recorder : IProtocolHandler
    {
        public List<string> Ops { get; } = [];

        public bool OnMsg(ReadOnlySpan<byte> subject, long sid, ReadOnlySpan<byte> replyTo, in ReadOnlySequence<byte> headers, in ReadOnlySequence<byte> payload)
        {
            Ops.Add($"MSG {Encoding.UTF8.GetString(subject)} {sid} {Encoding.UTF8.GetString(replyTo)} [{Encoding.UTF8.GetString(headers.ToArray())}] [{Encoding.UTF8.GetString(payload.ToArray())}]");
            return true;
        }

        public void OnInfo(ReadOnlySpan<byte> json) => Ops.Add("INFO " + Encoding.UTF8.GetString(json));

        public void OnPing() => Ops.Add("PING");

        public void OnPong() => Ops.Add("PONG");

        public void OnOk() => Ops.Add("+OK");

        public void OnError(string message) => Ops.Add("-ERR " + message);
    }

    /// <summary>Feeds the bytes in chunks of <paramref name="chunk"/>, as a socket might deliver them.</summary>
    private static List<string> Feed(byte[] bytes, int chunk)
    {
        var recorder = new Recorder();
        var pending = new List<byte>();
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            pending.AddRange(bytes.Skip(i).Take(chunk));
            var buffer = SplitIntoSegments(pending.ToArray());
            ProtocolParser.Parse(ref buffer, recorder);
            pending = [.. buffer.ToArray()];
        }
        Assert.Empty(pending);
        return recorder.Ops;
    }

    /// <summary>A sequence of one-to-three-byte segments, to exercise lines and bodies that straddle them.</summary>
    private static ReadOnlySequence<byte> SplitIntoSegments(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        Segment? first = null, last = null;
        for (var i = 0; i < bytes.Length; i += 3)
        {
            var memory = bytes.AsMemory(i, Math.Min(3, bytes.Length - i));
            if (first is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last!.Append(memory);
            }
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    public static TheoryData<string, string[]> ValidStreams => new()
    {
        { "PING\r\n", ["PING"] },
        { "pong\r\n+OK\r\n", ["PONG", "+OK"] },
        { "INFO {\"a\":1}\r\n", ["INFO {\"a\":1}"] },
        { "-ERR 'Permissions Violation for Publish to \"x\"'\r\n", ["-ERR Permissions Violation for Publish to \"x\""] },
        { "MSG a.b 7 5\r\nhello\r\n", ["MSG a.b 7  [] [hello]"] },
        { "MSG a.b  7\treply.to 0\r\n\r\n", ["MSG a.b 7 reply.to [] []"] },
        { "MSG a 1 4\r\n\r\n\r\n\r\n", ["MSG a 1  [] [\r\n\r\n]"] },
        { "HMSG a 2 r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", ["MSG a 2 r [NATS/1.0\r\n\r\n] [hi]"] },
        { "HMSG a 3 16 16\r\nNATS/1.0 503\r\n\r\n\r\nPING\r\n", ["MSG a 3  [NATS/1.0 503\r\n\r\n] []", "PING"] },
    };

    [Theory]
    [MemberData(nameof(ValidStreams))]
    public void ValidStream_ParsesTheSame_WhateverTheChunking(string stream, string[] expected)
    {
        var bytes = Encoding.UTF8.GetBytes(stream);
        foreach (var chunk in new[] { 1, 2, 5, bytes.Length })
        {
            Assert.Equal(expected, Feed(bytes, chunk));
        }
    }

    [Theory]
    [InlineData("FOO\r\n")]
    [InlineData("MSG a\r\n")]
    [InlineData("MSG a b 1\r\nx\r\n")]
    [InlineData("MSG a 1 -1\r\n")]
    [InlineData("MSG a 1 2\r\nabcd")]
    [InlineData("HMSG a 1 10 5\r\n")]
    [InlineData("\0\0\0")]
    [InlineData("MSG a 1 999999999999\r\n")]
    public void Garbage_FailsWithProtocolException(string stream)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(stream));
        Assert.Throws<NatsProtocolException>(() => ProtocolParser.Parse(ref buffer, new Recorder()));
    }

    [Fact]
    public void ControlLineWithoutEnd_FailsOnceItPassesTheLimit()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("PING" + new string('x', ProtocolParser.MaxControlLine + 10)));
        Assert.Throws<NatsProtocolException>(() => ProtocolParser.Parse(ref buffer, new Recorder()));
    }

    [Fact]
    public void RandomAndMutatedInput_OnlyEverYieldsProtocolErrors()
    {
        var random = new Random(5);
        var valid = Encoding.UTF8.GetBytes("INFO {}\r\nMSG a.b 1 r 3\r\nabc\r\nHMSG c 2 22 24\r\nNATS/1.0\r\nA: b\r\n\r\nxy\r\nPING\r\n");
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(1, 200)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                for (var m = random.Next(1, 4); m > 0; m--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }
            }
            var buffer = SplitIntoSegments(input);
            try
            {
                ProtocolParser.Parse(ref buffer, new HeaderParsingRecorder());
            }
            catch (NatsProtocolException)
            {
                // expected for most inputs
            }
        }
    }

    /// <summary>Also runs the header parser on whatever header block the parser hands out.</summary>
    private sealed class HeaderParsingRecorder : IProtocolHandler
    {
        public bool OnMsg(ReadOnlySpan<byte> subject, long sid, ReadOnlySpan<byte> replyTo, in ReadOnlySequence<byte> headers, in ReadOnlySequence<byte> payload)
        {
            if (!headers.IsEmpty)
            {
                HeaderCodec.Parse(headers);
            }
            return true;
        }

        public void OnInfo(ReadOnlySpan<byte> json)
        {
        }

        public void OnPing()
        {
        }

        public void OnPong()
        {
        }

        public void OnOk()
        {
        }

        public void OnError(string message)
        {
        }
    }

    [Fact]
    public void Headers_WithStatusAndDescription_AreParsed()
    {
        var headers = HeaderCodec.Parse(new ReadOnlySequence<byte>("NATS/1.0 404 No Messages\r\nNats-Msg-Id: 7\r\n\r\n"u8.ToArray()));
        Assert.Equal(404, headers.Code);
        Assert.Equal("No Messages", headers.Description);
        Assert.Equal("7", headers["nats-msg-id"]);
    }

    [Fact]
    public void Headers_RoundTripThroughTheCodec()
    {
        var headers = new NatsHeaders { ["A"] = "1" };
        headers.Add("B", "x y: z");
        headers.Add("B", "ünïcode");
        var bytes = new byte[HeaderCodec.GetLength(headers)];
        Assert.Equal(bytes.Length, HeaderCodec.Write(headers, bytes));

        var parsed = HeaderCodec.Parse(new ReadOnlySequence<byte>(bytes));
        Assert.Equal("1", parsed["A"]);
        Assert.Equal(["x y: z", "ünïcode"], parsed.GetValues("B"));
    }
}
