namespace NpuAdvisor.Targets;

public static class TargetRegistry
{
    public static IReadOnlyList<Target> All { get; } =
        [new Artpec7Target(), new Artpec8Target(), new Artpec9Target(), new Cv25Target(), new AmlnnTarget()];

    public static Target? Find(string id) =>
        All.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase));
}
