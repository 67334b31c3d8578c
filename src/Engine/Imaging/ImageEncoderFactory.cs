using ClipSearch.Clip;
using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Imaging.Isolation;
using ClipSearch.Core.Embeddings;
using ClipSearch.Engine.Configuration;
using Microsoft.Extensions.Options;

namespace ClipSearch.Engine.Imaging;

/// <summary>
/// Makes the image encoders of the loaded model with the configured decoding (limits, worker processes). The
/// container's <see cref="IImageEncoder"/> decodes exactly as CLIP's reference transform; indexing asks for one that
/// decodes JPEGs at a reduced scale (<see cref="ImageDecoding.Scaled"/>), which is several times faster.
/// </summary>
public sealed class ImageEncoderFactory(ClipModel model, IOptions<ImageDecodeOptions> decode, IOptions<DecodingSettings> decoding, EngineHost host)
{
    public IImageEncoder Create(ImageDecoding mode = ImageDecoding.Exact)
    {
        var limits = decode.Value;
        var options = new ImageDecodeOptions
        {
            MaxPixels = limits.MaxPixels,
            MaxFileBytes = limits.MaxFileBytes,
            Timeout = limits.Timeout,
            ApplyExifOrientation = limits.ApplyExifOrientation,
            JpegDecodeSize = mode == ImageDecoding.Scaled ? model.Preprocessor.Config.ResizeShortestEdge : null,
        };
        var settings = decoding.Value;
        IImagePreparer preparer = settings.Isolate
            ? new IsolatedImagePreparer(options, model.Preprocessor, settings.WorkerOptions(host))
            : new InProcessImagePreparer(options, model.Preprocessor);
        return new ClipImageEncoder(model, preparer, options);
    }
}
