namespace NpuAdvisor.Config;

/// <summary>
/// A configuration or baseline file the user handed the tool is wrong (malformed JSON, an unknown key or id, a
/// missing reason). It is the user's instruction that is wrong, not a model: the CLI reports it as a usage error.
/// </summary>
public sealed class ConfigException(string message) : Exception(message);
