using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Pipeline.Models.Weights;

/// <summary>One tensor of a safetensors file, raw little-endian bytes.</summary>
public sealed record SafeTensorEntry(string Name, string DType, long[] Shape, byte[] Data)
{
    public Tensor ToTensor(Device? device = null)
    {
        var type = DType switch
        {
            "F32" => ScalarType.Float32,
            "F64" => ScalarType.Float64,
            "F16" => ScalarType.Float16,
            "BF16" => ScalarType.BFloat16,
            "I64" => ScalarType.Int64,
            "I32" => ScalarType.Int32,
            "U8" => ScalarType.Byte,
            _ => throw new NotSupportedException($"safetensors dtype {DType} is not supported"),
        };
        var t = empty(Shape, dtype: type);
        if (Data.Length > 0) t.bytes = Data;
        return device is null || device.type == DeviceType.CPU ? t : t.to(device);
    }
}

/// <summary>
/// Minimal reader/writer of the safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// ({"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}}, padded with spaces
/// to a multiple of 8), then the tensors' raw little-endian bytes, contiguous and in row-major order.
/// </summary>
public static class SafeTensors
{
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
        var header = new JsonObject { ["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))) };
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            if (name == "__metadata__" || header.ContainsKey(name)) throw new ArgumentException($"duplicate or reserved tensor name '{name}'");
            using var cpu = tensor.detach().cpu().contiguous();
            var bytes = cpu.numel() == 0 ? [] : cpu.bytes.ToArray();
            header[name] = new JsonObject
            {
                ["dtype"] = DTypeName(cpu.dtype),
                ["shape"] = new JsonArray(cpu.shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + bytes.Length)),
            };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temporary = Pipeline.Imaging.Rasters.TemporaryNames.For(Path.GetFullPath(path));
        try
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write);
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (var i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var blob in blobs) stream.Write(blob);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads only the header: metadata and tensor names/shapes.</summary>
    public static (IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<SafeTensorEntry> Entries) Read(string path, bool withData = true)
    {
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Read(lengthBytes) != 8) throw new InvalidDataException("file is shorter than a safetensors header");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength == 0 || headerLength > 100_000_000 || (long)headerLength > stream.Length - 8)
            throw new InvalidDataException("not a safetensors file (bad header length)");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        JsonObject header;
        try
        {
            header = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("empty safetensors header");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not a safetensors file (header is not JSON: {e.Message})");
        }
        var dataStart = 8 + (long)headerLength;
        var metadata = new Dictionary<string, string>();
        var entries = new List<SafeTensorEntry>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                foreach (var (k, v) in node!.AsObject()) metadata[k] = v?.GetValue<string>() ?? "";
                continue;
            }
            var obj = node!.AsObject();
            var dtype = obj["dtype"]!.GetValue<string>();
            var shape = obj["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var offsets = obj["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var expected = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(dtype);
            if (offsets.Length != 2 || offsets[1] - offsets[0] != expected || dataStart + offsets[1] > stream.Length)
                throw new InvalidDataException($"tensor '{name}' has inconsistent data offsets");
            var data = Array.Empty<byte>();
            if (withData)
            {
                data = new byte[expected];
                stream.Seek(dataStart + offsets[0], SeekOrigin.Begin);
                stream.ReadExactly(data);
            }
            entries.Add(new SafeTensorEntry(name, dtype, shape, data));
        }
        return (metadata, entries);
    }

    static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Byte => "U8",
        _ => throw new NotSupportedException($"dtype {type} is not supported in safetensors files here"),
    };

    static long ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" => 8,
        "F32" or "I32" => 4,
        "F16" or "BF16" => 2,
        "U8" => 1,
        _ => throw new InvalidDataException($"unsupported dtype {dtype}"),
    };
}
