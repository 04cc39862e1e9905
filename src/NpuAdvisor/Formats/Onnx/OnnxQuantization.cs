using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

static class OnnxQuantization
{
    public static void Annotate(Graph graph) { }
}
