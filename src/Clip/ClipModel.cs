using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Inference;
using ClipSearch.Clip.Models;
using ClipSearch.Clip.Tokenization;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.ZeroShot;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace ClipSearch.Clip;

/// <summary>
/// A loaded model: its ONNX towers (sessions created once, shared and thread-safe), its tokenizer, its image transform and
/// its zero-shot scoring, for every supported family and layout (see <see cref="ClipModelFolder"/>). Tensor names, element
/// types, fixed batch sizes and the embedding dimension come from the graphs' metadata. Every embedding returned is
/// L2-normalised float32. It is the text encoder itself; its image encoder (<see cref="ClipImageEncoder"/>) adds how
/// untrusted files are decoded. A text tower alone (<see cref="ClipModelFolder.IsTextOnly"/>) has no image encoder.
/// </summary>
public sealed partial class ClipModel : ITextEncoder, IDisposable
{
    private readonly InferenceSession? _vision;
    private readonly InferenceSession _text;
    private readonly VisionSignature? _visionSig;
    private readonly TextSignature _textSig;
    private readonly int _textBatch;
    private readonly int _visionBatch;

    private ClipModel(ClipModelFolder folder, InferenceSession? vision, InferenceSession text, VisionSignature? visionSig,
        TextSignature textSig, ITextTokenizer tokenizer, ExecutionDevice device, int batchSize)
    {
        Folder = folder;
        _vision = vision;
        _text = text;
        _visionSig = visionSig;
        _textSig = textSig;
        Tokenizer = tokenizer;
        Device = device;
        _textBatch = Math.Min(batchSize, textSig.FixedBatch ?? int.MaxValue);
        _visionBatch = Math.Min(batchSize, visionSig?.FixedBatch ?? int.MaxValue);
        Preprocessor = new ClipImagePreprocessor(folder.Preprocessing);
    }

    public ClipModelFolder Folder { get; }

    public ITextTokenizer Tokenizer { get; }

    public ClipImagePreprocessor Preprocessor { get; }

    /// <summary>The device the sessions actually run on (after any CUDA fallback).</summary>
    public ExecutionDevice Device { get; }

    /// <summary>Embedding dimension, shared by both towers.</summary>
    public int Dimension => _textSig.Dimension;

    /// <summary>Token positions the text tower takes (77 for CLIP, 64 for SigLIP).</summary>
    public int ContextLength => _textSig.ContextLength;

    /// <summary>Model identifier recorded by indexes (<see cref="ClipModelFolder.ModelId"/>).</summary>
    public string ModelId => Folder.ModelId;

    /// <summary>The image space this model's embeddings share with another model's, when its folder says so.</summary>
    public string? SharedSpace => Folder.SharedSpace;

    /// <inheritdoc/>
    public IReadOnlyList<string> SharedSpaces => Folder.SharedSpaces;

    public ModelFamily Family => Folder.Family;

    /// <summary>Whether the model can embed images (false for a text tower alone).</summary>
    public bool HasImageTower => _vision is not null;

    /// <summary>The family's scoring with the model's own values (see <see cref="ClipModelFolder.Scoring"/>).</summary>
    public ZeroShotScoring Scoring => Folder.Scoring;

    public IReadOnlyList<TensorInfo> VisionInputs => _visionSig?.Inputs ?? [];

    public IReadOnlyList<TensorInfo> VisionOutputs => _visionSig?.Outputs ?? [];

    public IReadOnlyList<TensorInfo> TextInputs => _textSig.Inputs;

    public IReadOnlyList<TensorInfo> TextOutputs => _textSig.Outputs;

    /// <summary>The graph tensors used: pixel input and embedding output of the vision tower (null for a text tower alone).</summary>
    public (string Pixels, string Embeddings)? VisionTensors => _visionSig is { } v ? (v.PixelInput, v.Output) : null;

    /// <summary>The graph tensors used: ids (and mask) input and embedding output of the text tower.</summary>
    public (string Ids, string? Mask, string Embeddings) TextTensors => (_textSig.IdsInput, _textSig.MaskInput, _textSig.Output);

    /// <summary>Opens the model folder at <paramref name="path"/> and creates its sessions.</summary>
    /// <exception cref="ClipModelException">A file is missing, unreadable, or its graph is not a tower of the expected kind.</exception>
    /// <exception cref="ClipDeviceException">CUDA was required and cannot be used.</exception>
    public static ClipModel Load(string path, ClipEngineOptions? options = null, string? variant = null, ILogger? logger = null) =>
        Load(ClipModelFolder.Open(path, variant), options ?? new ClipEngineOptions(), logger);

    public static ClipModel Load(ClipModelFolder folder, ClipEngineOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        var tokenizer = folder.Tokenizer.Open(folder.Family);
        var (text, device) = OpenSession(folder.TextModelPath, options, logger);
        InferenceSession? vision = null;
        try
        {
            // The image tower follows the text tower's device, so a CUDA fallback is tried and logged once.
            if (folder.VisionModelPath is { } visionPath)
            {
                (vision, _) = OpenSession(visionPath, options.WithDevice(device), logger);
            }

            var visionSig = vision is null ? null : VisionSignature.Read(folder.VisionModelPath!, vision, folder.Preprocessing.CropSize);
            var textSig = TextSignature.Read(folder.TextModelPath, text, tokenizer.ContextLength);
            var model = new ClipModel(folder, vision, text, visionSig, textSig, tokenizer, device, options.BatchSize);
            model.ResolveDimensions();
            LogLoaded(logger, folder.ModelId, folder.Family, model.Dimension, device);
            return model;
        }
        catch
        {
            text.Dispose();
            vision?.Dispose();
            (tokenizer as IDisposable)?.Dispose();
            throw;
        }
    }

    private static (InferenceSession, ExecutionDevice) OpenSession(string path, ClipEngineOptions options, ILogger logger)
    {
        try
        {
            return OnnxSessions.Create(path, options, logger);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ClipModelException(path, $"a readable ONNX model ({e.Message.Split('\n')[0].Trim()})", e);
        }
    }

    /// <summary>Learns symbolic output dimensions from one tiny run and checks that the towers agree.</summary>
    private void ResolveDimensions()
    {
        if (_textSig.Dimension <= 0)
        {
            _textSig.Dimension = RunText([Tokenizer.Tokenize(string.Empty)], CancellationToken.None).GetLength(1);
        }

        if (_visionSig is null)
        {
            return;
        }

        if (_visionSig.Dimension <= 0)
        {
            _visionSig.Dimension = RunVision(new float[Preprocessor.TensorLength], 1, CancellationToken.None).GetLength(1);
        }

        if (_visionSig.Dimension != _textSig.Dimension)
        {
            throw new ClipModelException(Folder.Root,
                $"towers with the same embedding dimension, but {Path.GetFileName(Folder.VisionModelPath)} outputs {_visionSig.Dimension} and {Path.GetFileName(Folder.TextModelPath)} outputs {_textSig.Dimension}");
        }
    }

    public void Dispose()
    {
        _vision?.Dispose();
        _text.Dispose();
        (Tokenizer as IDisposable)?.Dispose();
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Loaded model {ModelId} ({Family}, dimension {Dimension}) on {Device}")]
    private static partial void LogLoaded(ILogger logger, string modelId, ModelFamily family, int dimension, ExecutionDevice device);
}
