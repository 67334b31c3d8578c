using System.Text.Json;

namespace ClipSearch.Clip.Models;

/// <summary>How an image is brought to the model's input size.</summary>
public enum ResizeMode
{
    /// <summary>CLIP's: the shorter side to <see cref="PreprocessorConfig.ResizeShortestEdge"/> (aspect kept), then a centre crop.</summary>
    ShortestEdge,

    /// <summary>SigLIP's: both sides to <see cref="PreprocessorConfig.ResizeShortestEdge"/> (aspect not kept), no crop.</summary>
    Squash,
}

/// <summary>The resampling filter, as Pillow implements it (its codes: 3 bicubic, 2 bilinear).</summary>
public enum Resample
{
    Bicubic,
    Bilinear,
}

/// <summary>
/// The image transform a model expects, from its own files: Hugging Face's preprocessor_config.json (CLIPImageProcessor,
/// SiglipImageProcessor) or open_clip's visual/preprocess_cfg.json. Resize (<see cref="Mode"/>, <see cref="Resample"/>),
/// centre crop to <see cref="CropSize"/>, scale to [0,1], and unless <see cref="Normalize"/> is false, normalise by
/// <see cref="Mean"/> and <see cref="Std"/>.
/// </summary>
public sealed record PreprocessorConfig(int ResizeShortestEdge, int CropSize, float[] Mean, float[] Std)
{
    private const float RescaleFactor = 1f / 255f;

    public ResizeMode Mode { get; init; } = ResizeMode.ShortestEdge;

    public Resample Resample { get; init; } = Resample.Bicubic;

    /// <summary>Whether mean/std normalisation is applied (MobileCLIP's exports say <c>do_normalize: false</c>).</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>OpenAI CLIP's transform for 224-pixel models, used when a folder has no preprocessor configuration.</summary>
    public static PreprocessorConfig ClipDefault { get; } = new(
        224, 224, [0.48145466f, 0.4578275f, 0.40821073f], [0.26862954f, 0.26130258f, 0.27577711f]);

    /// <summary>One line for reports: "shorter side to 224 (bicubic), centre crop 224, mean [...], std [...]".</summary>
    public string Describe()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var resample = Resample == Resample.Bilinear ? "bilinear" : "bicubic";
        var resize = Mode == ResizeMode.Squash
            ? $"squash to {ResizeShortestEdge}x{ResizeShortestEdge} ({resample}){(CropSize < ResizeShortestEdge ? $", centre crop {CropSize}" : "")}"
            : $"shorter side to {ResizeShortestEdge} ({resample}), centre crop {CropSize}";
        return Normalize
            ? $"{resize}, mean [{string.Join(", ", Mean.Select(v => v.ToString(c)))}], std [{string.Join(", ", Std.Select(v => v.ToString(c)))}]"
            : $"{resize}, scaled to [0,1] without normalisation";
    }

    /// <summary>
    /// Reads a Hugging Face preprocessor_config.json; absent keys take CLIP's defaults. <c>size</c> as a number or
    /// <c>{"shortest_edge": n}</c> resizes the shorter side; <c>{"height": n, "width": n}</c> squashes. The crop applies
    /// unless <c>do_center_crop</c> is false; <c>image_mean</c>/<c>image_std</c> (or the older <c>mean</c>/<c>std</c>);
    /// <c>resample</c> 3 (bicubic) or 2 (bilinear); <c>do_normalize</c>.
    /// </summary>
    /// <exception cref="ClipModelException">The file is not valid JSON or asks for something the engine does not do.</exception>
    public static PreprocessorConfig Load(string path) => Read(path, root =>
    {
        var d = ClipDefault;
        var (size, squash) = ReadSize(path, root);
        size ??= d.ResizeShortestEdge;
        var crop = Flag(root, "do_center_crop") == false ? size.Value : ReadCrop(path, root) ?? size.Value;
        var resample = root.TryGetProperty("resample", out var r) && r.ValueKind == JsonValueKind.Number
            ? r.GetInt32() switch
            {
                3 => Resample.Bicubic,
                2 => Resample.Bilinear,
                var other => throw new ClipModelException(path, $"resample 3 (bicubic) or 2 (bilinear), found {other} (Pillow's {PillowName(other)})"),
            }
            : Resample.Bicubic;
        if (Flag(root, "do_rescale") == false
            || (root.TryGetProperty("rescale_factor", out var rf) && rf.ValueKind == JsonValueKind.Number && Math.Abs(rf.GetDouble() - RescaleFactor) > 1e-6))
        {
            throw new ClipModelException(path, "pixels rescaled by 1/255 (do_rescale true, rescale_factor 0.00392156862745098)");
        }

        return Checked(path, new PreprocessorConfig(size.Value, crop, ReadTriple(root, "image_mean", "mean") ?? d.Mean, ReadTriple(root, "image_std", "std") ?? d.Std)
        {
            Mode = squash ? ResizeMode.Squash : ResizeMode.ShortestEdge,
            Resample = resample,
            Normalize = Flag(root, "do_normalize") != false,
        });
    });

    /// <summary>
    /// Reads open_clip's <c>preprocess_cfg.json</c> (immich's visual/preprocess_cfg.json): <c>size</c> (n or [n, n]),
    /// <c>mean</c>, <c>std</c>, <c>interpolation</c> ("bicubic" or "bilinear"), <c>resize_mode</c> ("shortest": shorter side
    /// then centre crop; "squash").
    /// </summary>
    /// <exception cref="ClipModelException">The file is not valid JSON or asks for something the engine does not do.</exception>
    public static PreprocessorConfig LoadOpenClip(string path) => Read(path, root =>
    {
        var d = ClipDefault;
        int size = !root.TryGetProperty("size", out var s) ? d.CropSize : s.ValueKind switch
        {
            JsonValueKind.Number => s.GetInt32(),
            JsonValueKind.Array when s.GetArrayLength() == 2 && s[0].GetInt32() == s[1].GetInt32() => s[0].GetInt32(),
            _ => throw new ClipModelException(path, $"a square size (n or [n, n]), found {s.GetRawText()}"),
        };
        var resample = (root.TryGetProperty("interpolation", out var i) ? i.GetString() : "bicubic") switch
        {
            "bicubic" => Resample.Bicubic,
            "bilinear" => Resample.Bilinear,
            var other => throw new ClipModelException(path, $"interpolation \"bicubic\" or \"bilinear\", found \"{other}\""),
        };
        var mode = (root.TryGetProperty("resize_mode", out var m) ? m.GetString() : "shortest") switch
        {
            "shortest" => ResizeMode.ShortestEdge,
            "squash" => ResizeMode.Squash,
            var other => throw new ClipModelException(path, $"resize_mode \"shortest\" or \"squash\", found \"{other}\" (\"longest\" pads the image, which the engine does not do)"),
        };
        if (root.TryGetProperty("mode", out var colour) && colour.GetString() is { } cm && cm != "RGB")
        {
            throw new ClipModelException(path, $"mode \"RGB\", found \"{cm}\"");
        }

        return Checked(path, new PreprocessorConfig(size, size, ReadTriple(root, "mean", null) ?? d.Mean, ReadTriple(root, "std", null) ?? d.Std)
        {
            Mode = mode,
            Resample = resample,
        });
    });

    private static PreprocessorConfig Read(string path, Func<JsonElement, PreprocessorConfig> read)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return read(doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or IOException)
        {
            throw new ClipModelException(path, $"a valid image preprocessing configuration ({e.Message})", e);
        }
    }

    private static PreprocessorConfig Checked(string path, PreprocessorConfig config) =>
        config.ResizeShortestEdge <= 0 || config.CropSize <= 0 || config.CropSize > config.ResizeShortestEdge || config.Std.Any(s => s <= 0f)
            ? throw new ClipModelException(path, $"a positive size and crop size (crop <= size) and positive std, found size {config.ResizeShortestEdge}, crop {config.CropSize}")
            : config;

    private static (int? Size, bool Squash) ReadSize(string path, JsonElement root)
    {
        if (!root.TryGetProperty("size", out var v))
        {
            return (null, false);
        }

        if (v.ValueKind == JsonValueKind.Number)
        {
            return (v.GetInt32(), false);
        }

        if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("shortest_edge", out var se))
        {
            return (se.GetInt32(), false);
        }

        if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("height", out var h) && v.TryGetProperty("width", out var w))
        {
            return h.GetInt32() == w.GetInt32()
                ? (h.GetInt32(), true)
                : throw new ClipModelException(path, $"a square size, found height {h.GetInt32()} and width {w.GetInt32()}");
        }

        throw new ClipModelException(path, $"size as a number, {{\"shortest_edge\": n}} or {{\"height\": n, \"width\": n}}, found {v.GetRawText()}");
    }

    private static int? ReadCrop(string path, JsonElement root)
    {
        if (!root.TryGetProperty("crop_size", out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetInt32(),
            JsonValueKind.Object when v.TryGetProperty("height", out var h) && v.TryGetProperty("width", out var w) =>
                h.GetInt32() == w.GetInt32() ? h.GetInt32() : throw new ClipModelException(path, $"a square crop_size, found {v.GetRawText()}"),
            JsonValueKind.Object when v.TryGetProperty("shortest_edge", out var se) => se.GetInt32(),
            _ => null,
        };
    }

    private static bool? Flag(JsonElement root, string name) =>
        root.TryGetProperty(name, out var f) && f.ValueKind is JsonValueKind.True or JsonValueKind.False ? f.GetBoolean() : null;

    private static float[]? ReadTriple(JsonElement root, string key, string? olderKey)
    {
        if (!root.TryGetProperty(key, out var v) && (olderKey is null || !root.TryGetProperty(olderKey, out v)))
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var values = v.EnumerateArray().Select(e => e.GetSingle()).ToArray();
        return values.Length == 3 ? values : throw new FormatException($"{key} must have 3 values, found {values.Length}");
    }

    private static string PillowName(int code) => code switch
    {
        0 => "NEAREST",
        1 => "LANCZOS",
        4 => "BOX",
        5 => "HAMMING",
        _ => "unknown filter",
    };
}
