// MSBuild task (compiled by RoslynCodeTaskFactory from build/TorchSharpNative.targets).
//
// libLibTorchSharp.so from TorchSharp 0.107 asks libstdc++ for version GLIBCXX_3.4.32 for a single
// symbol (std::ios_base_library_init) that no relocation uses. Debian 12's libstdc++ stops at 3.4.30,
// so the dynamic loader refuses the library although everything it calls exists. Marking that one
// version need weak (vna_flags |= VER_FLG_WEAK in .gnu.version_r) turns the hard failure into nothing.
// We patch only the copy in the build output, and only when the host libstdc++ lacks the version.
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenGlibcxxRequirement : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string VersionName { get; set; } = "";

    static readonly string[] LibraryDirs =
    {
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib64", "/usr/local/lib",
    };

    public override bool Execute()
    {
        var existing = Files.Select(f => f.ItemSpec).Where(File.Exists).ToArray();
        if (existing.Length == 0) return true;
        if (HostProvidesVersion())
        {
            Log.LogMessage(MessageImportance.Low, $"host libstdc++ defines {VersionName}; no patch needed");
            return true;
        }
        foreach (var path in existing)
        {
            var bytes = File.ReadAllBytes(path);
            switch (MarkWeak(bytes, VersionName))
            {
                case PatchResult.Patched:
                    // Write a new file and rename it over the old one: the output may be a hard link into
                    // the NuGet cache, which must never be modified.
                    var tmp = path + ".patching";
                    File.WriteAllBytes(tmp, bytes);
                    File.Delete(path);
                    File.Move(tmp, path);
                    Log.LogMessage(MessageImportance.High, $"{path}: marked {VersionName} weak (host libstdc++ lacks it)");
                    break;
                case PatchResult.AlreadyWeak:
                    break;
                case PatchResult.NotNeeded:
                    Log.LogMessage(MessageImportance.Low, $"{path}: does not require {VersionName}");
                    break;
            }
        }
        return !Log.HasLoggedErrors;
    }

    bool HostProvidesVersion()
    {
        var needle = Encoding.ASCII.GetBytes(VersionName + "\0");
        var dirs = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
            .Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries).Concat(LibraryDirs);
        var found = false;
        foreach (var lib in dirs.Select(d => Path.Combine(d, "libstdc++.so.6")).Where(File.Exists))
        {
            found = true;
            if (IndexOf(File.ReadAllBytes(lib), needle) >= 0) return true;
        }
        // No libstdc++ found at all (e.g. building on another OS): leave the binary as shipped.
        return !found;
    }

    public enum PatchResult { Patched, AlreadyWeak, NotNeeded }

    /// <summary>Sets VER_FLG_WEAK on the vernaux entry named <paramref name="version"/> of an ELF64 LE image.</summary>
    public static PatchResult MarkWeak(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF is supported");
        var shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        var shentsize = BitConverter.ToUInt16(elf, 0x3A);
        var shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (var i = 0; i < shnum; i++)
        {
            var sh = (int)(shoff + (long)i * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            var offset = (int)BitConverter.ToUInt64(elf, sh + 0x18);
            var link = BitConverter.ToUInt32(elf, sh + 0x28);
            var count = BitConverter.ToUInt32(elf, sh + 0x2C);
            var strtab = (int)BitConverter.ToUInt64(elf, (int)(shoff + link * shentsize) + 0x18);
            var need = offset;
            for (var n = 0; n < count; n++)
            {
                var auxCount = BitConverter.ToUInt16(elf, need + 2);
                var aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    if (ReadCString(elf, strtab + (int)BitConverter.ToUInt32(elf, aux + 8)) == version)
                    {
                        var flags = (int)BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0) return PatchResult.AlreadyWeak;
                        flags |= VerFlgWeak;
                        elf[aux + 4] = (byte)flags;
                        elf[aux + 5] = (byte)(flags >> 8);
                        return PatchResult.Patched;
                    }
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }
        return PatchResult.NotNeeded;
    }

    // (The task factory compiles against netstandard2.0: no spans.)
    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    static string ReadCString(byte[] bytes, int start)
    {
        var end = Array.IndexOf(bytes, (byte)0, start);
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }
}
