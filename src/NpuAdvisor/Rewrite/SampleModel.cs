using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;

namespace NpuAdvisor.Rewrite;

/// <summary>
/// The project's sample model (samples/sample_int8.tflite): a small int8 classifier on a 1×96×96×3
/// image whose layers each trip something real on one or more targets: a 5×5 stride-3 stem conv, a
/// RELU left unfused after it, an explicit PAD in front of a VALID conv, a depthwise conv with RELU6,
/// a 3×3 stride-2 max pool, a 1×1 conv with 100 filters beside a 28-filter branch, their concatenation,
/// and a MEAN → FULLY_CONNECTED → SOFTMAX head. Every op is a builtin (no custom op), so the model
/// stays compilable. Weights are seeded, so <see cref="Build"/> gives the same bytes every time.
/// </summary>
public static class SampleModel
{
    public const string FileName = "sample_int8.tflite";
    public const int Seed = 20241;

    public static Graph Build()
    {
        var b = new GraphBuilder(Seed)
        {
            Description = "npu-advisor sample: int8 96x96x3 classifier built to show NPU findings",
            ActivationQuantization = Quantization.PerTensor(1f / 32, -128),
            WeightScale = 0.008f,
        };
        var image = b.Input("input", 1, 96, 96, 3);

        var stem = b.Conv2D(image, 16, 5, 5, stride: 3, name: "stem/conv5x5_s3", perChannel: true);
        stem = b.Unary(OpKind.Relu, stem, "stem/relu");

        var padded = b.Pad(stem, 1, 1, 1, 1, "block1/pad");
        var x = b.Conv2D(padded, 32, 3, 3, padding: PaddingKind.Valid, activation: FusedActivation.Relu, name: "block1/conv3x3_valid", perChannel: true);
        x = b.DepthwiseConv2D(x, 3, 3, activation: FusedActivation.Relu6, name: "block1/dwconv3x3_relu6", perChannel: true);
        x = b.Pool(OpKind.MaxPool2D, x, 3, 2, PaddingKind.Same, "block1/maxpool3x3_s2");

        var wide = b.Conv2D(x, 100, 1, 1, activation: FusedActivation.Relu, name: "block2/conv1x1_100", perChannel: true);
        var narrow = b.Conv2D(x, 28, 3, 3, activation: FusedActivation.Relu, name: "block2/conv3x3_28", perChannel: true);
        x = b.Concat([wide, narrow], axis: 3, name: "block2/concat");

        x = b.Mean(x, [1, 2], keepDims: false, name: "head/mean");
        x = b.FullyConnected(x, 10, name: "head/fc");
        b.Output(b.Softmax(x, "head/softmax"));
        return b.Build();
    }

    public static byte[] Bytes() => TfliteExporter.Write(Build());

    /// <summary>Writes the model to <paramref name="path"/> through a temporary file in the same folder, so readers never see half a file.</summary>
    public static void Write(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, Bytes());
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
