using System.Buffers;
using System.IO.MemoryMappedFiles;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Tflite;

/// <summary>
/// A read-only memory-mapped file whose bytes are handed out as <see cref="ReadOnlyMemory{T}"/> views
/// (no copy). Memory is int-indexed, so the first 2 GB form <see cref="Head"/> and data beyond it
/// (TFLite buffers stored after the flatbuffer in files over 2 GB) get views of their own.
/// Disposing unmaps the file: every view becomes invalid.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _pointer;
    private bool _disposed;

    public long Length { get; }

    /// <summary>The file from its start, up to int.MaxValue bytes.</summary>
    public ReadOnlyMemory<byte> Head { get; }

    private MappedFile(MemoryMappedFile map, MemoryMappedViewAccessor view, long length)
    {
        _map = map;
        _view = view;
        Length = length;
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _pointer = p + view.PointerOffset;
        Head = new PointerMemory(_pointer, (int)Math.Min(length, int.MaxValue)).Memory;
    }

    /// <summary>Maps <paramref name="path"/> read-only. I/O failures and empty files raise <see cref="ModelFormatException"/>.</summary>
    public static MappedFile Open(string path)
    {
        MemoryMappedFile? map = null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var length = stream.Length;
            if (length == 0) throw new ModelFormatException("file is empty", "", 0);
            map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new MappedFile(map, view, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            map?.Dispose();
            throw new ModelFormatException($"cannot read '{path}': {e.Message}", "", -1, e);
        }
    }

    /// <summary>View of <paramref name="length"/> bytes at <paramref name="offset"/>; the caller has checked the range.</summary>
    public ReadOnlyMemory<byte> Slice(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (offset < 0 || length < 0 || offset > Length - length) throw new ArgumentOutOfRangeException(nameof(offset));
        if (offset + length <= Head.Length) return Head.Slice((int)offset, length);
        return new PointerMemory(_pointer + offset, length).Memory;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }

    /// <summary>Memory over unmanaged bytes that stay mapped while the owning <see cref="MappedFile"/> lives.</summary>
    private sealed class PointerMemory(byte* pointer, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(pointer, length);

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            if ((uint)elementIndex > (uint)length) throw new ArgumentOutOfRangeException(nameof(elementIndex));
            return new MemoryHandle(pointer + elementIndex);
        }

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}
