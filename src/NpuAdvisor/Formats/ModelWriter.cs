using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats;

/// <summary>Writes a (rewritten) graph back in the format it was read from, and reads such bytes again.</summary>
public static class ModelWriter
{
    /// <summary>TFLite convolutions know only SAME/VALID and carry fused activations; ONNX Conv takes explicit pads and has none.</summary>
    public static Rewrite.RewriteCapabilities Capabilities(Graph graph) => graph.Format switch
    {
        "onnx" => new(ExplicitConvPadding: true, FusedActivations: false),
        _ => new(ExplicitConvPadding: false, FusedActivations: true),
    };

    public static byte[] Write(Graph graph) => graph.Format switch
    {
        "onnx" => OnnxRewriteWriter.Write(graph),
        _ => TfliteExporter.Write(graph),
    };

    public static Graph Read(byte[] bytes, Graph like) => like.Format switch
    {
        "onnx" => OnnxImporter.Load(bytes, like.Path),
        _ => TfliteImporter.Load(bytes, like.Path),
    };
}
