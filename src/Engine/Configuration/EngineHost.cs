using System.Reflection;

namespace ClipSearch.Engine.Configuration;

/// <summary>What the engine needs to know of the program it runs in.</summary>
/// <param name="Program">The program's assembly; it must hand the decode-worker verb to the engine (see <see cref="Clip.Imaging.Isolation.DecodeWorker.IsWorkerInvocation"/>), as it is relaunched as a worker.</param>
/// <param name="Names">How its users spell the settings, for messages.</param>
public sealed record EngineHost(Assembly Program, SettingNames Names);
