using NpuAdvisor.Fuzz;
using SharpFuzz;

if (args.Length == 2 && args[0] == "seed")
{
    Seeds.Write(args[1]);
    return 0;
}
if (args.Length is < 1 or > 2 || !FuzzPipeline.Harnesses.Contains(args[0]))
{
    Console.Error.WriteLine("usage: NpuAdvisor.Fuzz tflite|onnx [INPUT]   (no INPUT: run under afl-fuzz)");
    Console.Error.WriteLine("       NpuAdvisor.Fuzz seed CORPUS_DIR       (write the hand-made seed models)");
    return 2;
}
var harness = args[0];
// An empty folder of our own, so an ONNX input naming external data finds nothing of the host's.
var folder = Directory.CreateTempSubdirectory("npu-advisor-fuzz-").FullName;
try
{
    if (args.Length == 2)
    {
        // Replay one reproducer outside AFL: an escaping exception shows its stack trace.
        var outcome = FuzzPipeline.Run(harness, File.ReadAllBytes(args[1]), folder);
        Console.WriteLine(outcome switch
        {
            FuzzPipeline.Outcome.Refused => "refused with ModelFormatException",
            FuzzPipeline.Outcome.Rewritten => "accepted; fix rewrote it",
            _ => "accepted",
        });
        return 0;
    }
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        FuzzPipeline.Run(harness, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), folder);
    });
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}
