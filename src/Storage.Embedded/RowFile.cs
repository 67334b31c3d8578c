using System.IO.MemoryMappedFiles;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// A collection's float32 rows (slot x dimension, contiguous) in a file mapped into memory: the pages are the
/// kernel's page cache, so ten million 512-d rows (20 GB) cost no managed or anonymous memory, only the pages
/// searches touch. Grown in chunks by re-mapping; the pointer changes then, so it is read only under the table's
/// lock (growth happens under its write lock). The file is a cache of the database: see <see cref="RowFiles"/>.
/// </summary>
internal sealed unsafe class RowFile : IDisposable
{
    // A chunk of growth: at least this many rows, or half the capacity, whichever is larger (few re-mappings at 10M).
    private const int ChunkRows = 4096;

    private readonly FileStream _file;
    private readonly long _rowBytes;
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private byte* _pointer;

    public RowFile(FileStream file, int dimension)
    {
        _file = file;
        Dimension = dimension;
        _rowBytes = (long)dimension * sizeof(float);
        Map(Math.Max(ChunkRows, file.Length / _rowBytes));
    }

    public int Dimension { get; }

    /// <summary>Rows the mapping holds.</summary>
    public long Capacity { get; private set; }

    /// <summary>The first row; valid until the next <see cref="EnsureCapacity"/> or <see cref="Dispose"/>.</summary>
    public float* Pointer => (float*)_pointer;

    /// <summary>The file's path (for a private file opened beside a locked one, a name already deleted).</summary>
    public string Path => _file.Name;

    public float* Row(int slot) => (float*)(_pointer + (slot * _rowBytes));

    public void EnsureCapacity(int rows)
    {
        if (rows > Capacity)
        {
            Map(Math.Max(rows, Capacity + Math.Max(ChunkRows, Capacity / 2)));
        }
    }

    /// <summary>Forgets every row (the file is rebuilt from the database).</summary>
    public void Truncate()
    {
        Unmap();
        _file.SetLength(0);
        Map(ChunkRows);
    }

    /// <summary>Writes dirty pages to disk (before the stamp that vouches for them is written).</summary>
    public void Flush()
    {
        _view?.Flush();
        _file.Flush(flushToDisk: true);
    }

    private void Map(long rows)
    {
        Unmap();
        var bytes = Math.Max(rows * _rowBytes, _file.Length);
        _map = MemoryMappedFile.CreateFromFile(_file, null, bytes, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        _view = _map.CreateViewAccessor(0, bytes, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _pointer = pointer + _view.PointerOffset;
        Capacity = bytes / _rowBytes;
    }

    private void Unmap()
    {
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _view = null;
        }

        _map?.Dispose();
        _map = null;
        _pointer = null;
    }

    public void Dispose()
    {
        Unmap();
        _file.Dispose();
    }
}
