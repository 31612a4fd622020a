using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Pipeline.Models.Weights.PyTorch;

/// <summary>
/// A file torch.save wrote (a Lightning <c>.ckpt</c>, a <c>.pth</c> state dict), read without running it: the zip
/// archive's <c>data.pkl</c> through <see cref="PickleReader"/>, tensors from its <c>data/&lt;key&gt;</c> records on
/// demand. Every problem is a one-line <see cref="ModelWeightsException"/> that names the file: not a checkpoint, the
/// legacy pre-zip format, a truncated file, a half-written one (records missing, short or failing their CRC), a
/// refused global.
/// </summary>
public sealed class TorchCheckpoint : IDisposable
{
    const long MaxPickleBytes = 256L << 20;
    readonly ZipArchive archive;
    readonly string prefix;
    readonly Dictionary<string, byte[]> storages = [];

    TorchCheckpoint(string path, ZipArchive archive, string prefix)
    {
        Path = path;
        this.archive = archive;
        this.prefix = prefix;
    }

    public string Path { get; }

    /// <summary>The unpickled object: a dict for Lightning checkpoints and state dicts.</summary>
    public object? Root { get; private set; }

    public static TorchCheckpoint Open(string path)
    {
        if (!File.Exists(path)) throw new ModelWeightsException($"{path}: file not found");
        var head = new byte[4];
        long length;
        using (var probe = File.OpenRead(path))
        {
            length = probe.Length;
            probe.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        }
        if (length == 0) throw new ModelWeightsException($"{path}: empty file");
        if (head[0] == 0x80 && head[1] is >= 2 and <= 5)
            throw new ModelWeightsException($"{path}: legacy (pre-zip, PyTorch < 1.6) checkpoint format; load and re-save it with a newer torch.save, then import it");
        if (head[0] != (byte)'P' || head[1] != (byte)'K')
            throw new ModelWeightsException($"{path}: not a PyTorch checkpoint (neither torch.save's zip archive nor a legacy pickle)");
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(File.OpenRead(path), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            throw new ModelWeightsException($"{path}: truncated: the zip directory at its end is missing ({length} bytes; was the download or copy cut short?)");
        }
        var pickles = archive.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1).ToList();
        if (pickles.Count != 1)
        {
            archive.Dispose();
            throw new ModelWeightsException($"{path}: a zip archive, but not one torch.save wrote (no single '<name>/data.pkl')");
        }
        var checkpoint = new TorchCheckpoint(path, archive, pickles[0].FullName[..^"data.pkl".Length]);
        try
        {
            checkpoint.VerifyRecords();
            var pickle = checkpoint.Record(pickles[0], MaxPickleBytes);
            checkpoint.Root = PickleReader.Read(pickle, checkpoint.PersistentLoad);
        }
        catch (Exception e) when (e is InvalidDataException or PickleGlobalRefusedException)
        {
            checkpoint.Dispose();
            throw new ModelWeightsException($"{path}: {e.Message}", e);
        }
        return checkpoint;
    }

    /// <summary>The tensors of a state dict (name → tensor view), in the file's order; other values are skipped.</summary>
    public static IEnumerable<(string Name, TensorRef Tensor)> Tensors(object? stateDict) =>
        stateDict is Dictionary<object, object?> d
            ? d.Where(kv => kv.Key is string && kv.Value is TensorRef).Select(kv => ((string)kv.Key, (TensorRef)kv.Value!))
            : [];

    /// <summary>A tensor's values as float32 (from float32, float16, bfloat16, float64 or integer storages).</summary>
    public float[] ReadFloats(TensorRef tensor)
    {
        var size = StorageTypes.ElementSize(tensor.Storage.StorageType);
        var bytes = Storage(tensor.Storage, size);
        var count = tensor.Shape.Aggregate(1L, (a, b) => a * b);
        var values = new float[count];
        var index = new long[tensor.Shape.Length];
        for (long i = 0; i < count; i++)
        {
            var element = tensor.Offset;
            for (var d = 0; d < index.Length; d++) element += index[d] * tensor.Stride[d];
            if (element < 0 || element >= tensor.Storage.Elements)
                throw new ModelWeightsException($"{Path}: a tensor of storage '{tensor.Storage.Key}' reaches past its end");
            values[i] = Element(bytes.AsSpan((int)(element * size), size), tensor.Storage.StorageType);
            for (var d = index.Length - 1; d >= 0; d--)
            {
                if (++index[d] < tensor.Shape[d]) break;
                index[d] = 0;
            }
        }
        return values;
    }

    /// <summary>A tensor as a float32 safetensors entry under <paramref name="name"/>.</summary>
    public SafeTensorEntry Entry(string name, TensorRef tensor) =>
        new(name, "F32", tensor.Shape, MemoryMarshal.AsBytes(ReadFloats(tensor).AsSpan()).ToArray());

    static float Element(ReadOnlySpan<byte> b, string storageType) => storageType switch
    {
        "FloatStorage" => BinaryPrimitives.ReadSingleLittleEndian(b),
        "DoubleStorage" => (float)BinaryPrimitives.ReadDoubleLittleEndian(b),
        "HalfStorage" => (float)BinaryPrimitives.ReadHalfLittleEndian(b),
        "BFloat16Storage" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b) << 16),
        "LongStorage" => BinaryPrimitives.ReadInt64LittleEndian(b),
        "IntStorage" => BinaryPrimitives.ReadInt32LittleEndian(b),
        "ShortStorage" => BinaryPrimitives.ReadInt16LittleEndian(b),
        "CharStorage" => (sbyte)b[0],
        _ => b[0],
    };

    object? PersistentLoad(object? id)
    {
        if (id is not object?[] { Length: 5 } t || t[0] is not "storage" || t[1] is not PickledGlobal type || t[2] is not string key || t[4] is not long elements
            || PickleGlobals.RoleOf(type) != GlobalRole.StorageType || elements < 0)
            throw new InvalidDataException("the pickle names a persistent object that is not a tensor storage");
        return new StorageRef(key, type.Name, elements);
    }

    byte[] Storage(StorageRef storage, int elementSize)
    {
        if (storages.TryGetValue(storage.Key, out var cached)) return cached;
        var name = prefix + "data/" + storage.Key;
        var entry = archive.GetEntry(name)
            ?? throw new ModelWeightsException($"{Path}: half-written: tensor record '{name}' is missing (did the process writing it stop early?)");
        var expected = storage.Elements * elementSize;
        try
        {
            var bytes = Record(entry, expected);
            if (bytes.Length != expected)
                throw new ModelWeightsException($"{Path}: half-written: tensor record '{name}' holds {bytes.Length} bytes, its tensor needs {expected}");
            return storages[storage.Key] = bytes;
        }
        catch (InvalidDataException e)
        {
            throw new ModelWeightsException($"{Path}: {e.Message}", e);
        }
    }

    /// <summary>Every record's bytes against the CRC-32 its zip directory holds: a file whose writer stopped after
    /// reserving its records, or was overwritten in place, is caught before anything of it is used.</summary>
    void VerifyRecords()
    {
        var buffer = new byte[1 << 16];
        foreach (var entry in archive.Entries)
        {
            var crc = new Crc32();
            try
            {
                using var stream = entry.Open();
                int read;
                while ((read = stream.Read(buffer)) > 0) crc.Append(buffer.AsSpan(0, read));
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new InvalidDataException($"half-written or corrupt: record '{entry.FullName}' cannot be read ({e.Message.TrimEnd('.')})", e);
            }
            if (crc.GetCurrentHashAsUInt32() != entry.Crc32)
                throw new InvalidDataException($"half-written or corrupt: record '{entry.FullName}' fails its CRC (did the process writing it stop early?)");
        }
    }

    /// <summary>A record's bytes, at most <paramref name="limit"/> (a zip's declared sizes are not trusted).</summary>
    byte[] Record(ZipArchiveEntry entry, long limit)
    {
        if (entry.Length > limit) throw new InvalidDataException($"record '{entry.FullName}' is larger than it may be ({entry.Length} bytes)");
        try
        {
            using var stream = entry.Open();
            var bytes = new byte[entry.Length];
            stream.ReadExactly(bytes);
            if (stream.ReadByte() != -1) throw new InvalidDataException($"record '{entry.FullName}' is longer than its directory says");
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"half-written or corrupt: record '{entry.FullName}' cannot be read back ({e.Message.TrimEnd('.')})", e);
        }
    }

    public void Dispose() => archive.Dispose();
}
