using System.Buffers.Binary;
using System.Text;

namespace Pipeline.Models.Weights.PyTorch;

/// <summary>A pickle named a global outside <see cref="PickleGlobals"/>; nothing of it was run.</summary>
public sealed class PickleGlobalRefusedException(PickledGlobal global)
    : Exception($"the pickle asks for '{global.FullName}', which is not tensor or plain data; refused, nothing was run")
{
    public PickledGlobal Global { get; } = global;
}

/// <summary>
/// Reads a pickle (protocols 2 to 4, what torch.save writes) as data, without executing it. Strings, numbers, lists,
/// tuples and dicts become .NET values; globals are looked up in <see cref="PickleGlobals"/> and interpreted by role
/// (a tensor becomes a <see cref="TensorRef"/>, an OrderedDict a dictionary, hyper-parameter objects
/// <see cref="InertObject"/>s); any other global is refused the moment the pickle names it. Dictionaries are
/// <c>Dictionary&lt;object, object?&gt;</c> in insertion order, lists <c>List&lt;object?&gt;</c>, tuples
/// <c>object?[]</c>, integers <c>long</c> (or <c>System.Numerics.BigInteger</c> beyond 64 bits), bytes <c>byte[]</c>.
/// </summary>
public sealed class PickleReader
{
    readonly byte[] data;
    readonly Func<object?, object?> persistentLoad;
    readonly List<object?> stack = [];
    readonly Stack<List<object?>> marks = new();
    readonly Dictionary<long, object?> memo = [];
    int position;

    PickleReader(byte[] data, Func<object?, object?> persistentLoad)
    {
        this.data = data;
        this.persistentLoad = persistentLoad;
    }

    /// <param name="persistentLoad">Resolves a persistent id (torch: <c>('storage', type, key, location, numel)</c>).</param>
    public static object? Read(byte[] pickle, Func<object?, object?> persistentLoad) => new PickleReader(pickle, persistentLoad).Run();

    object? Run()
    {
        while (true)
        {
            var op = Byte();
            switch (op)
            {
                case 0x80: Byte(); break; // PROTO
                case 0x95: Skip(8); break; // FRAME
                case (byte)'.': return Pop(); // STOP
                case (byte)'(': marks.Push([.. stack]); stack.Clear(); break; // MARK: keep the outer stack aside
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'2': Push(Peek()); break; // DUP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(4))); break; // BININT
                case (byte)'K': Push((long)Byte()); break; // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2))); break; // BININT2
                case 0x8a: Push(Long(Byte())); break; // LONG1
                case 0x8b: Push(Long(Length(BinaryPrimitives.ReadInt32LittleEndian(Bytes(4))))); break; // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8))); break; // BINFLOAT
                case (byte)'X': Push(Text(Length(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))))); break; // BINUNICODE
                case 0x8c: Push(Text(Byte())); break; // SHORT_BINUNICODE
                case 0x8d: Push(Text(Length(BinaryPrimitives.ReadInt64LittleEndian(Bytes(8))))); break; // BINUNICODE8
                case (byte)'T': Push(Latin1(Length(BinaryPrimitives.ReadInt32LittleEndian(Bytes(4))))); break; // BINSTRING
                case (byte)'U': Push(Latin1(Byte())); break; // SHORT_BINSTRING
                case (byte)'B': Push(Bytes(Length(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)))).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Bytes(Byte()).ToArray()); break; // SHORT_BINBYTES
                case 0x8e: Push(Bytes(Length(BinaryPrimitives.ReadInt64LittleEndian(Bytes(8)))).ToArray()); break; // BINBYTES8
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)'}': Push(new Dictionary<object, object?>()); break; // EMPTY_DICT
                case (byte)')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case 0x8f: Push(new List<object?>()); break; // EMPTY_SET
                case (byte)'t': Push(PopMark().ToArray()); break; // TUPLE
                case 0x85: Push(new[] { Pop() }); break; // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'l': Push(PopMark()); break; // LIST
                case (byte)'d': { var items = PopMark(); var d = new Dictionary<object, object?>(); SetItems(d, items); Push(d); break; } // DICT
                case 0x91: Push(PopMark()); break; // FROZENSET
                case (byte)'a': { var item = Pop(); As<List<object?>>(Peek(), "APPEND").Add(item); break; } // APPEND
                case (byte)'e': case 0x90: { var items = PopMark(); As<List<object?>>(Peek(), "APPENDS").AddRange(items); break; } // APPENDS, ADDITEMS
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItems(Peek(), [k, v]); break; } // SETITEM
                case (byte)'u': { var items = PopMark(); SetItems(Peek(), items); break; } // SETITEMS
                case (byte)'q': memo[Byte()] = Peek(); break; // BINPUT
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))] = Peek(); break; // LONG_BINPUT
                case 0x94: memo[memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'h': Push(Memo(Byte())); break; // BINGET
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)))); break; // LONG_BINGET
                case (byte)'c': { var module = Line(); var name = Line(); Push(Allowed(new PickledGlobal(module, name))); break; } // GLOBAL
                case 0x93: { var name = As<string>(Pop(), "STACK_GLOBAL"); var module = As<string>(Pop(), "STACK_GLOBAL"); Push(Allowed(new PickledGlobal(module, name))); break; }
                case (byte)'Q': Push(persistentLoad(Pop())); break; // BINPERSID
                case (byte)'R': { var args = Pop(); var callable = Pop(); Push(Apply(callable, args)); break; } // REDUCE
                case 0x81: { var args = Pop(); var type = Pop(); Push(Apply(type, args)); break; } // NEWOBJ
                case 0x92: { Pop(); var args = Pop(); var type = Pop(); Push(Apply(type, args)); break; } // NEWOBJ_EX
                case (byte)'b': { var state = Pop(); Build(Peek(), state); break; } // BUILD
                default:
                    throw new InvalidDataException($"pickle opcode 0x{op:x2} at byte {position - 1} is not supported (not a checkpoint torch.save writes)");
            }
        }
    }

    /// <summary>Interprets a REDUCE/NEWOBJ of an allowed global; nothing is called.</summary>
    static object? Apply(object? callable, object? arguments)
    {
        if (callable is not PickledGlobal global) throw new InvalidDataException("pickle calls something that is not a global");
        var args = arguments as object?[] ?? throw new InvalidDataException($"pickle passes '{global.FullName}' arguments that are not a tuple");
        switch (PickleGlobals.RoleOf(global))
        {
            case GlobalRole.RebuildTensor:
                if (args.Length < 4 || args[0] is not StorageRef storage) throw new InvalidDataException($"'{global.FullName}' without a storage");
                return new TensorRef(storage, As<long>(args[1], "tensor offset"), Longs(args[2]), Longs(args[3]));
            case GlobalRole.RebuildParameter:
                return args.Length > 0 && args[0] is TensorRef tensor ? tensor : throw new InvalidDataException($"'{global.FullName}' without a tensor");
            case GlobalRole.Dictionary:
                var dictionary = new Dictionary<object, object?>();
                if (args.Length == 1 && args[0] is List<object?> pairs) // OrderedDict([(k, v), ...])
                    foreach (var pair in pairs)
                        if (pair is object?[] { Length: 2 } kv) dictionary[kv[0] ?? ""] = kv[1];
                return dictionary;
            case GlobalRole.Set:
                return args.Length > 0 && args[0] is List<object?> items ? new List<object?>(items) : new List<object?>();
            case GlobalRole.Bytes:
                return args.Length > 0 && args[0] is string text ? Encoding.Latin1.GetBytes(text) : Array.Empty<byte>();
            case GlobalRole.Inert:
                return new InertObject(global, args);
            default:
                throw new InvalidDataException($"pickle uses '{global.FullName}' as a constructor");
        }
    }

    static void Build(object? target, object? state)
    {
        switch (target)
        {
            case InertObject inert: inert.State = state; break;
            case Dictionary<object, object?> d when state is Dictionary<object, object?> s: foreach (var (k, v) in s) d[k] = v; break;
            case TensorRef or Dictionary<object, object?>: break; // a parameter's Python attributes: not weights
            default: throw new InvalidDataException("pickle sets the state of something that is not an object");
        }
    }

    static void SetItems(object? target, List<object?> items)
    {
        var d = As<Dictionary<object, object?>>(target, "SETITEMS");
        if (items.Count % 2 != 0) throw new InvalidDataException("pickle has an odd number of dictionary items");
        for (var i = 0; i < items.Count; i += 2) d[items[i] ?? ""] = items[i + 1];
    }

    static PickledGlobal Allowed(PickledGlobal global) =>
        PickleGlobals.RoleOf(global) is null ? throw new PickleGlobalRefusedException(global) : global;

    static long[] Longs(object? tuple) =>
        tuple is object?[] items ? items.Select(i => As<long>(i, "tensor shape")).ToArray() : throw new InvalidDataException("tensor shape is not a tuple");

    static T As<T>(object? value, string what) =>
        value is T t ? t : throw new InvalidDataException($"pickle's {what} gets a {value?.GetType().Name ?? "None"}");

    object? Memo(long key) => memo.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"pickle refers to memo {key}, never stored");

    void Push(object? value) => stack.Add(value);

    object? Peek() => stack.Count > 0 ? stack[^1] : throw new InvalidDataException("pickle reads an empty stack");

    object? Pop()
    {
        var value = Peek();
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    List<object?> PopMark()
    {
        if (marks.Count == 0) throw new InvalidDataException("pickle closes a mark it never opened");
        var items = new List<object?>(stack);
        stack.Clear();
        stack.AddRange(marks.Pop());
        return items;
    }

    byte Byte() => position < data.Length ? data[position++] : throw new InvalidDataException("pickle ends before its STOP opcode");

    ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0 || count > data.Length - position) throw new InvalidDataException("pickle ends inside a value");
        var span = data.AsSpan(position, count);
        position += count;
        return span;
    }

    void Skip(int count) => Bytes(count);

    int Length(long length) => length >= 0 && length <= data.Length - position ? (int)length : throw new InvalidDataException("pickle ends inside a value");

    string Text(int length) => Encoding.UTF8.GetString(Bytes(length));

    string Latin1(int length) => Encoding.Latin1.GetString(Bytes(length));

    string Line()
    {
        var end = Array.IndexOf(data, (byte)'\n', position);
        if (end < 0) throw new InvalidDataException("pickle ends inside a global's name");
        var text = Encoding.UTF8.GetString(data, position, end - position);
        position = end + 1;
        return text;
    }

    object Long(int length)
    {
        var bytes = Bytes(length);
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }
}
