using ClipSearch.Core.Embeddings;
using ClipSearch.Engine.Configuration;

namespace ClipSearch.Engine.Search;

/// <summary>Model ids as collections record them: the model's name, then <c>:variant</c> for weights other than the full-precision ones.</summary>
internal static class ModelIds
{
    public static (string Name, string? Variant) Split(string modelId)
    {
        var name = ModelCompatibility.ModelName(modelId);
        return (name, name.Length < modelId.Length ? modelId[(name.Length + 1)..] : null);
    }

    /// <summary>The settings that would select the model <paramref name="wanted"/> instead of <paramref name="inUse"/>, in the front end's words.</summary>
    public static string WhatToChange(string wanted, string inUse, SettingNames names)
    {
        var (wantedName, wantedVariant) = Split(wanted);
        var (usedName, usedVariant) = Split(inUse);
        var variant = wantedVariant is null ? $"leave {names.Variant} unset (the full-precision weights)" : $"set {names.Variant} to {wantedVariant}";
        if (wantedName == usedName)
        {
            return $"to search it, {variant}";
        }

        return $"to search it, set {names.Model} to the model '{wantedName}' (its folder, or its name if it was pulled)"
            + (wantedVariant == usedVariant ? "" : $" and {variant}");
    }
}
