using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Pipeline.Models.Weights.PyTorch;

/// <summary>A float32 or int32 tensor to write: row-major values and shape.</summary>
public sealed record TensorData(long[] Shape, float[]? Floats = null, int[]? Ints = null);

/// <summary>
/// Writes what torch.save writes (zip archive, protocol-2 <c>data.pkl</c>, one stored record per tensor under
/// <c>data/&lt;key&gt;</c>, <c>version</c>): a dict of strings, numbers and an ordered state dict of tensors, which
/// torch.load reads back. Written under a temporary name and renamed at the end.
/// </summary>
public static class TorchCheckpointWriter
{
    public static void Write(string path, string archiveName, IReadOnlyList<(string Key, object Value)> root, IReadOnlyList<(string Name, TensorData Tensor)> stateDict)
    {
        var temporary = Pipeline.Imaging.Rasters.TemporaryNames.For(Path.GetFullPath(path));
        try
        {
            using (var zip = new ZipArchive(File.Create(temporary), ZipArchiveMode.Create))
            {
                var pickle = new PickleBuilder();
                pickle.Proto();
                pickle.Op('}');
                pickle.Op('(');
                foreach (var (key, value) in root)
                {
                    pickle.Text(key);
                    pickle.Value(value);
                }
                pickle.Text("state_dict");
                pickle.Global("collections", "OrderedDict");
                pickle.Op(')');
                pickle.Op('R');
                pickle.Op('(');
                for (var i = 0; i < stateDict.Count; i++)
                {
                    pickle.Text(stateDict[i].Name);
                    pickle.Tensor(i.ToString(System.Globalization.CultureInfo.InvariantCulture), stateDict[i].Tensor);
                }
                pickle.Op('u');
                pickle.Op('u');
                pickle.Op('.');
                Record(zip, $"{archiveName}/data.pkl", pickle.ToArray());
                for (var i = 0; i < stateDict.Count; i++)
                    Record(zip, $"{archiveName}/data/{i}", Bytes(stateDict[i].Tensor));
                Record(zip, $"{archiveName}/version", "3\n"u8.ToArray());
                Record(zip, $"{archiveName}/byteorder", "little"u8.ToArray());
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    static void Record(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }

    static byte[] Bytes(TensorData tensor)
    {
        if (tensor.Floats is { } floats)
        {
            var bytes = new byte[floats.Length * 4];
            for (var i = 0; i < floats.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), floats[i]);
            return bytes;
        }
        var ints = tensor.Ints!;
        var result = new byte[ints.Length * 4];
        for (var i = 0; i < ints.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(i * 4), ints[i]);
        return result;
    }

    /// <summary>Protocol-2 opcodes for the few value kinds a checkpoint needs.</summary>
    sealed class PickleBuilder
    {
        readonly MemoryStream buffer = new();

        public byte[] ToArray() => buffer.ToArray();

        public void Proto() { buffer.WriteByte(0x80); buffer.WriteByte(2); }

        public void Op(char op) => buffer.WriteByte((byte)op);

        public void Text(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            Op('X');
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            buffer.Write(length);
            buffer.Write(bytes);
        }

        public void Global(string module, string name) => buffer.Write(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));

        public void Long(long value)
        {
            if (value is >= int.MinValue and <= int.MaxValue)
            {
                Op('J');
                Span<byte> b = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(b, (int)value);
                buffer.Write(b);
                return;
            }
            buffer.WriteByte(0x8a);
            buffer.WriteByte(8);
            Span<byte> l = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(l, value);
            buffer.Write(l);
        }

        public void Value(object value)
        {
            switch (value)
            {
                case string s: Text(s); break;
                case int i: Long(i); break;
                case long l: Long(l); break;
                case double d:
                    Op('G');
                    Span<byte> b = stackalloc byte[8];
                    BinaryPrimitives.WriteDoubleBigEndian(b, d);
                    buffer.Write(b);
                    break;
                default: throw new ArgumentException($"cannot pickle a {value.GetType().Name}");
            }
        }

        void Tuple(IEnumerable<long> values)
        {
            Op('(');
            foreach (var v in values) Long(v);
            Op('t');
        }

        /// <summary>torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict()).</summary>
        public void Tensor(string key, TensorData tensor)
        {
            var count = tensor.Shape.Aggregate(1L, (a, b) => a * b);
            var stride = new long[tensor.Shape.Length];
            for (long d = tensor.Shape.Length - 1, s = 1; d >= 0; s *= tensor.Shape[d], d--) stride[d] = s;
            Global("torch._utils", "_rebuild_tensor_v2");
            Op('(');
            Op('(');
            Text("storage");
            Global("torch", tensor.Floats is not null ? "FloatStorage" : "IntStorage");
            Text(key);
            Text("cpu");
            Long(count);
            Op('t');
            Op('Q');
            Long(0);
            Tuple(tensor.Shape);
            Tuple(stride);
            buffer.WriteByte(0x89);
            Global("collections", "OrderedDict");
            Op(')');
            Op('R');
            Op('t');
            Op('R');
        }
    }
}
