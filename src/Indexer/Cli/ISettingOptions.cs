using System.CommandLine;

namespace ClipSearch.Indexer.Cli;

/// <summary>A group of command-line options that set engine settings (see <see cref="Engine.Configuration.SettingKeys"/>).</summary>
internal interface ISettingOptions
{
    /// <summary>The settings the options given on this command line set (options left out set nothing, so the environment and defaults apply).</summary>
    IEnumerable<KeyValuePair<string, string?>> Settings(ParseResult parse);
}
