using System.Buffers;

namespace Horizon.Nats.Internal;

/// <summary>A growable byte buffer rented from the shared pool.</summary>
internal sealed class PooledBuffer : IDisposable
{
    private const int InitialSize = 64 * 1024;
    private byte[] _array = ArrayPool<byte>.Shared.Rent(InitialSize);

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _array.AsMemory(0, Length);

    public Span<byte> GetSpan(int size)
    {
        if (_array.Length - Length < size)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, Length + size));
            _array.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = bigger;
        }
        return _array.AsSpan(Length, size);
    }

    public void Advance(int count) => Length += count;

    /// <summary>Empties the buffer and gives back memory a burst of large messages left behind.</summary>
    public void Clear()
    {
        Length = 0;
        if (_array.Length > 4 * InitialSize * 16)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = ArrayPool<byte>.Shared.Rent(InitialSize);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
        Length = 0;
    }
}
