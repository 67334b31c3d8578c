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
/// A loaded CLIP model: both ONNX towers (sessions created once, shared and thread-safe), its tokenizer
/// and its image transform. Tensor names, element types and the embedding dimension come from the
/// graphs' metadata. Every embedding returned is L2-normalised float32. It is the text encoder itself; its
/// image encoder (<see cref="ClipImageEncoder"/>) adds how untrusted files are decoded.
/// </summary>
public sealed partial class ClipModel : ITextEncoder, IDisposable
{
    private readonly InferenceSession _vision;
    private readonly InferenceSession _text;
    private readonly VisionSignature _visionSig;
    private readonly TextSignature _textSig;
    private readonly int _batchSize;

    private ClipModel(ClipModelFolder folder, InferenceSession vision, InferenceSession text, VisionSignature visionSig,
        TextSignature textSig, ClipTokenizer tokenizer, ExecutionDevice device, int batchSize)
    {
        Folder = folder;
        _vision = vision;
        _text = text;
        _visionSig = visionSig;
        _textSig = textSig;
        Tokenizer = tokenizer;
        Device = device;
        _batchSize = batchSize;
        Preprocessor = new ClipImagePreprocessor(folder.Preprocessing);
        Scoring = new ZeroShotScoring(folder.LogitScale);
    }

    public ClipModelFolder Folder { get; }

    public ClipTokenizer Tokenizer { get; }

    public ClipImagePreprocessor Preprocessor { get; }

    /// <summary>The device the sessions actually run on (after any CUDA fallback).</summary>
    public ExecutionDevice Device { get; }

    /// <summary>Embedding dimension, shared by both towers.</summary>
    public int Dimension => _visionSig.Dimension;

    /// <summary>Token positions the text tower takes (77 for CLIP).</summary>
    public int ContextLength => _textSig.ContextLength;

    /// <summary>Model identifier recorded by indexes (<see cref="ClipModelFolder.ModelId"/>).</summary>
    public string ModelId => Folder.ModelId;

    /// <summary>Softmax over labels of exp(logit_scale) x cosine, logit_scale from config.json (see <see cref="ClipModelFolder.LogitScale"/>).</summary>
    public ZeroShotScoring Scoring { get; }

    public IReadOnlyList<TensorInfo> VisionInputs => _visionSig.Inputs;

    public IReadOnlyList<TensorInfo> VisionOutputs => _visionSig.Outputs;

    public IReadOnlyList<TensorInfo> TextInputs => _textSig.Inputs;

    public IReadOnlyList<TensorInfo> TextOutputs => _textSig.Outputs;

    /// <summary>The graph tensors used: pixel input and embedding output of the vision tower.</summary>
    public (string Pixels, string Embeddings) VisionTensors => (_visionSig.PixelInput, _visionSig.Output);

    /// <summary>The graph tensors used: ids (and mask) input and embedding output of the text tower.</summary>
    public (string Ids, string? Mask, string Embeddings) TextTensors => (_textSig.IdsInput, _textSig.MaskInput, _textSig.Output);

    /// <summary>Opens the model folder at <paramref name="path"/> and creates both sessions.</summary>
    /// <exception cref="ClipModelException">A file is missing, unreadable, or its graph is not a CLIP tower.</exception>
    /// <exception cref="ClipDeviceException">CUDA was required and cannot be used.</exception>
    public static ClipModel Load(string path, ClipEngineOptions? options = null, string? variant = null, ILogger? logger = null) =>
        Load(ClipModelFolder.Open(path, variant), options ?? new ClipEngineOptions(), logger);

    public static ClipModel Load(ClipModelFolder folder, ClipEngineOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        var tokenizer = ClipTokenizer.FromFiles(folder.VocabPath, folder.MergesPath);
        var (vision, device) = OpenSession(folder.VisionModelPath, options, logger);
        InferenceSession? text = null;
        try
        {
            // The text tower follows the vision tower's device, so a CUDA fallback is tried and logged once.
            var (textSession, _) = OpenSession(folder.TextModelPath, options.WithDevice(device), logger);
            text = textSession;
            var visionSig = VisionSignature.Read(folder.VisionModelPath, vision, folder.Preprocessing.CropSize);
            var textSig = TextSignature.Read(folder.TextModelPath, text, folder.TextContextLength ?? ClipTokenizer.DefaultContextLength);
            var model = new ClipModel(folder, vision, text, visionSig, textSig, tokenizer, device, options.BatchSize);
            model.ResolveDimensions();
            LogLoaded(logger, folder.ModelId, model.Dimension, device);
            return model;
        }
        catch
        {
            vision.Dispose();
            text?.Dispose();
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
        if (_visionSig.Dimension <= 0)
        {
            _visionSig.Dimension = RunVision(new float[Preprocessor.TensorLength], 1, CancellationToken.None).GetLength(1);
        }

        if (_textSig.Dimension <= 0)
        {
            _textSig.Dimension = RunText([Tokenizer.Tokenize(string.Empty, ContextLength)], CancellationToken.None).GetLength(1);
        }

        if (_visionSig.Dimension != _textSig.Dimension)
        {
            throw new ClipModelException(Folder.Root,
                $"towers with the same embedding dimension, but {Path.GetFileName(Folder.VisionModelPath)} outputs {_visionSig.Dimension} and {Path.GetFileName(Folder.TextModelPath)} outputs {_textSig.Dimension}");
        }
    }

    public void Dispose()
    {
        _vision.Dispose();
        _text.Dispose();
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Loaded CLIP model {ModelId} (dimension {Dimension}) on {Device}")]
    private static partial void LogLoaded(ILogger logger, string modelId, int dimension, ExecutionDevice device);
}
