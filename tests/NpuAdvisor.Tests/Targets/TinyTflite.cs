using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;

namespace NpuAdvisor.Tests.Targets;

/// <summary>
/// Rule tests build their tiny models with GraphBuilder and take them through the project's TFLite
/// writer and reader, so every rule is checked on what a real .tflite file carries, not on builder-only state.
/// </summary>
internal static class TinyTflite
{
    public static Graph BuildTflite(this GraphBuilder b) => TfliteImporter.Load(TfliteExporter.Write(b.Build()));
}
