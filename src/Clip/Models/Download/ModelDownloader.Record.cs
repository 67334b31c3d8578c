namespace ClipSearch.Clip.Models.Download;

/// <summary>What a pull records beside the files: the model's id, shared space, languages and sigmoid scoring.</summary>
public sealed partial class ModelDownloader
{
    /// <summary>
    /// Writes <paramref name="model"/>'s clipsearch-model.json into <paramref name="folder"/>: its id, the other ids of
    /// its image space, its languages, and for a sigmoid model whose towers lack them the trained logit_scale and
    /// logit_bias read from <see cref="CatalogueModel.Scoring"/> (kept when an earlier pull recorded them from there).
    /// </summary>
    /// <exception cref="ModelDownloadException">The checkpoint holding the scale and bias could not be read.</exception>
    public async Task<ModelManifest> RecordAsync(CatalogueModel model, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var manifest = model.Manifest;
        if (model.Scoring is { } checkpoint)
        {
            var source = $"{checkpoint} ({checkpoint.ScaleTensor}, {checkpoint.BiasTensor}), read by clipsearch models pull";
            var recorded = ModelManifest.Read(folder);
            var (scale, bias) = recorded is { LogitScale: { } s, LogitBias: { } b } && recorded.ScoringSource == source
                ? (s, b)
                : await ReadSigmoidScoringAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            manifest = manifest with { LogitScale = scale, LogitBias = bias, ScoringSource = source };
        }

        ModelManifest.Write(folder, manifest);
        return manifest;
    }
}
