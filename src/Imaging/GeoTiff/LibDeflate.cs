using System.Runtime.InteropServices;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// zlib-format Deflate through libdeflate (Debian's libdeflate0, which GDAL itself compresses with): about twice as
/// fast as zlib at the same level for whole-buffer compression, which is what a tile is. Where the library is absent
/// <see cref="TryCreate"/> gives null and the runtime's zlib is used: the bytes differ, the pixels never do.
/// </summary>
internal sealed partial class LibDeflate : SafeHandle
{
    const string Library = "libdeflate.so.0";

    /// <summary>GDAL's default Deflate level (ZLEVEL=6), zlib's too.</summary>
    public const int Level = 6;

    static readonly bool Available = NativeLibrary.TryLoad(Library, typeof(LibDeflate).Assembly, null, out _);

    /// <summary>For the marshaller, which fills in the handle libdeflate returns.</summary>
    public LibDeflate() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>A compressor (one per thread), or null without libdeflate.</summary>
    public static LibDeflate? TryCreate()
    {
        if (!Available || Environment.GetEnvironmentVariable("PIPELINE_NO_LIBDEFLATE") == "1") return null;
        var compressor = AllocateCompressor(Level);
        return compressor.IsInvalid ? null : compressor;
    }

    /// <summary>The zlib stream of <paramref name="input"/>.</summary>
    public unsafe byte[] Compress(ReadOnlySpan<byte> input, ref byte[] scratch)
    {
        var bound = (int)ZlibCompressBound(this, (nuint)input.Length);
        if (scratch.Length < bound) scratch = new byte[bound];
        nuint written;
        fixed (byte* source = input)
        fixed (byte* target = scratch)
            written = ZlibCompress(this, source, (nuint)input.Length, target, (nuint)scratch.Length);
        if (written == 0) throw new IOException("libdeflate could not compress a tile");
        return scratch.AsSpan(0, (int)written).ToArray();
    }

    protected override bool ReleaseHandle()
    {
        FreeCompressor(handle);
        return true;
    }

    [LibraryImport(Library, EntryPoint = "libdeflate_alloc_compressor")]
    private static partial LibDeflate AllocateCompressor(int level);

    [LibraryImport(Library, EntryPoint = "libdeflate_free_compressor")]
    private static partial void FreeCompressor(IntPtr compressor);

    [LibraryImport(Library, EntryPoint = "libdeflate_zlib_compress_bound")]
    private static partial nuint ZlibCompressBound(LibDeflate compressor, nuint length);

    [LibraryImport(Library, EntryPoint = "libdeflate_zlib_compress")]
    private static unsafe partial nuint ZlibCompress(LibDeflate compressor, byte* input, nuint length, byte* output, nuint available);
}
