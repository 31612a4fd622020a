using System.IO.Compression;
using Pipeline.Imaging.Access;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GdalIO;

/// <summary>
/// The files of a Sentinel-2 product, in a <c>.SAFE</c> folder or a <c>.SAFE.zip</c>: its metadata file and its band
/// images. A band's path comes from the (untrusted) metadata, so it must stay inside the product: no <c>..</c> out,
/// no absolute path, and in a folder no link or linked folder leading out (real paths compared), no FIFO or device.
/// </summary>
abstract class ProductFiles : IDisposable
{
    protected ProductFiles(string path) => Path = path;

    /// <summary>The scene path errors name.</summary>
    protected string Path { get; }

    public abstract string MetadataName { get; }

    /// <summary>The metadata, refused past <paramref name="maxBytes"/> (as <see cref="InvalidDataException"/>).</summary>
    public abstract Stream OpenMetadata(long maxBytes);

    /// <summary>Band <paramref name="band"/>'s image at <paramref name="relative"/> (as the metadata names it, with its
    /// extension), checked: the path errors name it by, and the path GDAL opens.</summary>
    /// <exception cref="RasterFormatException">It leads outside the product, is missing, or is no regular file.</exception>
    public abstract (string Shown, string Gdal) Band(string band, string relative);

    public virtual void Dispose()
    {
    }

    public static ProductFiles Folder(string path, string product) => new FolderFiles(path, product);

    public static ProductFiles Zip(string path, string product) => new ZipFiles(path, product);

    protected RasterFormatException Outside(string band, string relative) =>
        new(Path, $"{band}: IMAGE_FILE '{relative}' leads outside the product folder; refused");

    sealed class FolderFiles : ProductFiles
    {
        readonly string folder;
        readonly string metadataFile;

        public FolderFiles(string path, string product) : base(path)
        {
            metadataFile = Directory.Exists(product)
                ? Sentinel2Product.MetadataNames.Select(name => System.IO.Path.Combine(product, name)).First(File.Exists)
                : product;
            folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(metadataFile))!;
            if (LocalFiles.Problem(metadataFile) is { } unfit) throw new RasterFormatException(path, unfit.Message);
        }

        public override string MetadataName => System.IO.Path.GetFileName(metadataFile);

        public override Stream OpenMetadata(long maxBytes) => new FileInfo(metadataFile).Length > maxBytes
            ? throw new RasterFormatException(Path, $"{MetadataName} is larger than any Sentinel-2 product's metadata ({maxBytes >> 20} MiB); refused")
            : File.OpenRead(metadataFile);

        public override (string Shown, string Gdal) Band(string band, string relative)
        {
            var file = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, relative));
            var inside = System.IO.Path.GetRelativePath(folder, file);
            if (inside == ".." || inside.StartsWith(".." + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) || System.IO.Path.IsPathRooted(inside))
                throw Outside(band, relative[..^4]);
            if (!File.Exists(file) && !Directory.Exists(file)) throw new RasterFormatException(Path, $"{band}: {file} is missing");
            if (new PathRoots([folder]).Outside(file) is { } real)
                throw new RasterFormatException(Path, $"{band}: {file} leads to {real} through a link, outside the product folder; refused");
            if (LocalFiles.Problem(file) is { } problem) throw new RasterFormatException(Path, $"{band}: {problem.Message}");
            return (file, file);
        }
    }

    /// <summary>A product as distributed: the .SAFE folder zipped (or its contents at the archive's root).</summary>
    sealed class ZipFiles : ProductFiles
    {
        readonly string zip;
        readonly ZipArchive archive;
        readonly ZipArchiveEntry metadata;
        readonly string root;

        public ZipFiles(string path, string product) : base(path)
        {
            zip = System.IO.Path.GetFullPath(product);
            if (LocalFiles.Problem(zip) is { } unfit) throw new RasterFormatException(path, unfit.Message);
            try
            {
                archive = ZipFile.OpenRead(zip);
            }
            catch (InvalidDataException e)
            {
                throw new RasterFormatException(path, $"not a readable zip archive ({e.Message})", e);
            }
            metadata = archive.Entries.FirstOrDefault(e => Sentinel2Product.MetadataNames.Contains(e.Name) && e.FullName.Count(c => c == '/') <= 1)
                ?? throw new RasterFormatException(path, "the archive holds no MTD_MSIL2A.xml or MTD_MSIL1C.xml at its root or in its .SAFE folder");
            root = metadata.FullName[..^metadata.Name.Length];
        }

        public override string MetadataName => metadata.Name;

        public override Stream OpenMetadata(long maxBytes)
        {
            // The declared size may lie: read at most one byte past the limit.
            using var entry = metadata.Open();
            var copy = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = entry.Read(buffer)) > 0)
            {
                copy.Write(buffer, 0, read);
                if (copy.Length > maxBytes)
                    throw new RasterFormatException(Path, $"{MetadataName} is larger than any Sentinel-2 product's metadata ({maxBytes >> 20} MiB); refused");
            }
            copy.Position = 0;
            return copy;
        }

        public override (string Shown, string Gdal) Band(string band, string relative)
        {
            var parts = relative.Split('/');
            if (relative.StartsWith('/') || relative.Contains('\\') || parts.Any(p => p is ".." or "."))
                throw Outside(band, relative[..^4]);
            var name = root + relative;
            if (archive.GetEntry(name) is null) throw new RasterFormatException(Path, $"{band}: {zip}/{name} is missing");
            return ($"{zip}/{name}", $"/vsizip/{zip}/{name}");
        }

        public override void Dispose() => archive.Dispose();
    }

}
