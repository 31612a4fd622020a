using System.Globalization;
using BitMiracle.LibTiff.Classic;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>
/// Library-wide LibTiff.NET setup, done once: the GeoTIFF tag extender, and an error handler that records
/// errors per thread instead of printing them (warnings such as unknown tags are dropped).
/// LibTiff reports a failure as null/-1/false plus a message to the handler; every call into LibTiff
/// happens on the caller's thread, so the last error of this thread is the one that explains it.
/// </summary>
internal static class LibTiffRuntime
{
    static readonly Lazy<bool> Initialized = new(() =>
    {
        GeoTiffTags.Register();
        Tiff.SetErrorHandler(new CapturingErrorHandler());
        return true;
    });

    [ThreadStatic] static string? lastError;

    public static void EnsureInitialized() => _ = Initialized.Value;

    /// <summary>Forgets the error recorded on this thread (call before a LibTiff operation).</summary>
    public static void ClearError() => lastError = null;

    /// <summary>The error LibTiff reported on this thread since <see cref="ClearError"/>, or a fallback.</summary>
    public static string LastError(string fallback) => lastError ?? fallback;

    sealed class CapturingErrorHandler : TiffErrorHandler
    {
        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args) =>
            lastError = Format(method, format, args);

        // LibTiff reports every error to ErrorHandler as well; the Ext variants only need silencing.
        public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
        {
        }

        public override void WarningHandler(Tiff tif, string method, string format, params object[] args)
        {
        }

        public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
        {
        }

        static string Format(string method, string format, object[] args)
        {
            var text = args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
            text = text.ReplaceLineEndings(" ").Trim();
            return string.IsNullOrEmpty(method) ? text : $"{method}: {text}";
        }
    }
}
