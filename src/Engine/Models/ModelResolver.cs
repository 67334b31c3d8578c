using ClipSearch.Clip.Models;
using ClipSearch.Clip.Models.Download;
using ClipSearch.Engine.Configuration;

namespace ClipSearch.Engine.Models;

/// <summary>
/// The one rule by which every front end turns its model settings into a model folder: a folder as given, else the
/// name of a catalogue model pulled into the models folder, else the bundled model when nothing is set. The same
/// settings give the same folder, hence the same model id, in the CLI and the API.
/// </summary>
public static class ModelResolver
{
    /// <exception cref="ClipModelException">The model is a known name that has not been pulled, or neither a folder nor a known name.</exception>
    public static ModelLocation Resolve(ModelSettings settings, SettingNames names)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(names);
        var variant = string.IsNullOrWhiteSpace(settings.Variant) || settings.Variant.Equals(ModelCatalogue.Full, StringComparison.OrdinalIgnoreCase)
            ? null
            : settings.Variant.Trim();
        if (string.IsNullOrWhiteSpace(settings.Model))
        {
            return new ModelLocation(BundledModel.Folder, variant, "bundled");
        }

        var value = settings.Model.Trim();
        if (Directory.Exists(value))
        {
            return new ModelLocation(Path.GetFullPath(value), variant, "folder");
        }

        if (ModelCatalogue.Find(value) is { } known)
        {
            var pulled = PulledFolder(settings, known);
            return Directory.Exists(pulled)
                ? new ModelLocation(pulled, variant, "pulled")
                : throw new ClipModelException(
                    $"{names.Model}: {known.Name} has not been pulled (no folder {pulled}); run 'clipsearch models pull {known.Name}{(variant is null ? "" : $" --variant {variant}")}' first.");
        }

        throw new ClipModelException(
            $"{names.Model}: the folder {Path.GetFullPath(value)} does not exist, and '{value}' is not the name of a model 'clipsearch models pull' knows (see 'clipsearch models list'); give a model folder, a pulled model's name, or leave it out for the bundled model.");
    }

    /// <summary>The folder a catalogue model is pulled into.</summary>
    public static string PulledFolder(ModelSettings settings, CatalogueModel model)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(model);
        return Path.Combine(Path.GetFullPath(settings.ModelsFolder), model.FolderName);
    }
}
