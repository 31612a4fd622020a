namespace Pipeline.Imaging.GeoTiff;

/// <summary>One encoded TIFF tile: its level (0 = full resolution) and its index there, counting planes when
/// band-interleaved (plane × tiles per plane + tile), as TIFF numbers tiles.</summary>
public sealed record EncodedTile(int Level, int Index, byte[] Bytes);

/// <summary>Pixels of a piece reduced to <paramref name="Level"/> (each value as stored: rounded to the output type), where
/// they no longer make whole tiles: the writer assembles the tiles of that level and those below from such pieces, and
/// shows them in its preview.</summary>
/// <param name="Level">Halvings from the full resolution.</param>
/// <param name="Window">Where the pixels lie in that level's image.</param>
/// <param name="Pixels">Band-sequential, <c>Bands × Window.Area</c> samples.</param>
public sealed record ReducedPiece(int Level, Rasters.PixelWindow Window, float[] Pixels);

/// <summary>
/// A piece of the mosaic made ready for the file (<see cref="PieceEncoder"/>): bands
/// <paramref name="FirstBand"/>…<paramref name="FirstBand"/>+<paramref name="Bands"/>−1 of a rectangle of whole
/// full-resolution tiles, encoded at every level where it still covers whole tiles, and the rest reduced.
/// </summary>
public sealed record EncodedPiece(Rasters.PixelWindow Window, int FirstBand, int Bands, IReadOnlyList<EncodedTile> Tiles, ReducedPiece Reduced);
