using NpuAdvisor.Model;

namespace NpuAdvisor.Analysis.Cost;

/// <summary>
/// The options of a TFLite_Detection_PostProcess op (read from its FlexBuffers custom options, as TFLite's
/// detection_postprocess.cc reads them) and the anchor count from its inputs, with the work they ask of the CPU:
/// box decoding per anchor, one pass over anchors × (classes + 1) scores, and the NMS comparisons (fast NMS: one
/// single-class pass, regular NMS: one per class).
/// </summary>
public sealed record DetectionPostProcess(long Anchors, int NumClasses, int MaxDetections, int DetectionsPerClass, bool UseRegularNms)
{
    public const string CustomCode = "TFLite_Detection_PostProcess";

    /// <summary>Box decoding: four transforms (two exponentials) per anchor.</summary>
    private const int DecodeUnitsPerAnchor = 4;

    /// <summary>
    /// Work units: decoding, the score pass, and the suppression passes. Fast NMS compares each of the at most
    /// max_detections kept boxes with the candidates once; regular NMS runs a scan and a bounded candidate pass per class.
    /// </summary>
    /// <remarks>In double: anchors, classes and max_detections come from the file, and their products can pass 2^63.</remarks>
    public double WorkUnits
    {
        get
        {
            double anchors = Anchors, classes = Math.Max(1, NumClasses), detections = Math.Max(1, MaxDetections);
            var scores = anchors * (classes + 1);
            var suppression = UseRegularNms ? classes * anchors * 2 + detections * anchors : detections * anchors;
            return DecodeUnitsPerAnchor * anchors + scores + suppression;
        }
    }

    /// <summary>The op's options, or null when it is not a detection post-process or its options cannot be read.</summary>
    public static DetectionPostProcess? Read(Operator op)
    {
        if (op.Kind != OpKind.Custom || op.CustomCode != CustomCode) return null;
        // Inputs: box encodings [1, anchors, 4], class predictions [1, anchors, classes(+1)], anchors [anchors, 4].
        long anchors = 0;
        if (op.Input(2) is { Shape.Rank: > 0 } a) anchors = a.Shape[0];
        if (anchors <= 0 && op.Input(0) is { Shape.Rank: >= 2 } boxes) anchors = boxes.Shape.FromEnd(2);
        var map = FlexMap.TryRead(op.CustomOptions.Span);
        int Int(string key, int fallback) => map is not null && map.TryGetLong(key, out var v) && v is >= 0 and <= int.MaxValue ? (int)v : fallback;
        var classesFromInput = op.Input(1) is { Shape.Rank: >= 1 } scores ? (int)Math.Max(1, scores.Shape.FromEnd(1) - 1) : 1;
        return new DetectionPostProcess(
            Math.Max(0, anchors),
            Int("num_classes", classesFromInput),
            Int("max_detections", 10),
            Int("detections_per_class", 100),
            map is not null && map.TryGetLong("use_regular_nms", out var regular) && regular != 0);
    }
}

/// <summary>
/// Just enough of FlexBuffers to read a flat map of scalars (the layout TFLite custom options use): the root is a
/// map whose keys are strings and whose values are ints, uints, bools or floats. Anything else reads as absent;
/// a malformed buffer gives null, never an exception (the bytes are untrusted).
/// </summary>
internal sealed class FlexMap
{
    private readonly Dictionary<string, long> _values = new(StringComparer.Ordinal);

    public bool TryGetLong(string key, out long value) => _values.TryGetValue(key, out value);

    private const int TypeInt = 1, TypeUInt = 2, TypeFloat = 3, TypeMap = 9, TypeBool = 26;

    public static FlexMap? TryRead(ReadOnlySpan<byte> buffer)
    {
        try
        {
            return Read(buffer);
        }
        catch (IndexOutOfRangeException)
        {
            return null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static FlexMap? Read(ReadOnlySpan<byte> b)
    {
        if (b.Length < 3) return null;
        int rootWidth = b[^1], rootPacked = b[^2];
        if (rootWidth is not (1 or 2 or 4 or 8) || rootPacked >> 2 != TypeMap) return null;
        var rootPos = b.Length - 2 - rootWidth;
        var width = 1 << (rootPacked & 3);
        var mapPos = Checked(rootPos - (long)ReadUInt(b, rootPos, rootWidth), b);
        var length = ReadUInt(b, Checked(mapPos - width, b), width);
        if (length > 1024) return null;
        var keysField = Checked(mapPos - 3L * width, b);
        var keysPos = Checked(keysField - (long)ReadUInt(b, keysField, width), b);
        var keysWidth = (int)ReadUInt(b, Checked(mapPos - 2L * width, b), width);
        if (keysWidth is not (1 or 2 or 4 or 8)) return null;
        var map = new FlexMap();
        for (var i = 0; i < (int)length; i++)
        {
            var keyField = Checked(keysPos + (long)i * keysWidth, b);
            var keyPos = Checked(keyField - (long)ReadUInt(b, keyField, keysWidth), b);
            var end = keyPos;
            while (b[end] != 0) end++;
            var key = System.Text.Encoding.UTF8.GetString(b[keyPos..end]);
            var valuePos = Checked(mapPos + (long)i * width, b);
            int packed = b[Checked(mapPos + (long)length * width + i, b)];
            var type = packed >> 2;
            switch (type)
            {
                case TypeInt: map._values[key] = ReadInt(b, valuePos, width); break;
                case TypeUInt or TypeBool: map._values[key] = (long)Math.Min(ReadUInt(b, valuePos, width), long.MaxValue); break;
                case TypeFloat:
                    var f = width == 8 ? BitConverter.Int64BitsToDouble(ReadInt(b, valuePos, 8)) : BitConverter.Int32BitsToSingle((int)ReadInt(b, valuePos, 4));
                    if (double.IsFinite(f) && Math.Abs(f) < long.MaxValue) map._values[key] = (long)f;
                    break;
            }
        }
        return map;
    }

    /// <summary>
    /// A FlexBuffers map of integer values (keys sorted, 4-byte slots), as a converter writes custom options: for the
    /// reference graphs, whose post-process op must carry options like a real file's.
    /// </summary>
    public static byte[] Write(IReadOnlyList<(string Key, long Value)> entries)
    {
        const int w = 4;
        var sorted = entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var buf = new List<byte>();
        var keyPos = new List<int>();
        foreach (var (key, _) in sorted)
        {
            keyPos.Add(buf.Count);
            buf.AddRange(System.Text.Encoding.UTF8.GetBytes(key));
            buf.Add(0);
        }
        void Align() { while (buf.Count % w != 0) buf.Add(0); }
        void Put(long v) { for (var i = 0; i < w; i++) buf.Add((byte)(v >> (8 * i))); }
        Align();
        Put(sorted.Count); // keys vector length
        var keysVector = buf.Count;
        for (var i = 0; i < sorted.Count; i++) Put(buf.Count - keyPos[i]);
        var keysField = buf.Count;
        Put(keysField - keysVector);
        Put(w); // keys byte width
        Put(sorted.Count);
        var values = buf.Count;
        foreach (var (_, v) in sorted) Put(v);
        foreach (var _ in sorted) buf.Add((byte)(TypeInt << 2 | 2)); // INT, 32-bit
        Align();
        var root = buf.Count;
        Put(root - values);
        buf.Add((byte)(TypeMap << 2 | 2));
        buf.Add(w);
        return buf.ToArray();
    }

    private static int Checked(long position, ReadOnlySpan<byte> b) =>
        position >= 0 && position < b.Length ? (int)position : throw new IndexOutOfRangeException();

    private static ulong ReadUInt(ReadOnlySpan<byte> b, int pos, int width)
    {
        if (pos + width > b.Length) throw new IndexOutOfRangeException();
        ulong v = 0;
        for (var i = width - 1; i >= 0; i--) v = (v << 8) | b[pos + i];
        return v;
    }

    private static long ReadInt(ReadOnlySpan<byte> b, int pos, int width)
    {
        var u = ReadUInt(b, pos, width);
        var shift = 64 - 8 * width;
        return (long)(u << shift) >> shift;
    }
}
