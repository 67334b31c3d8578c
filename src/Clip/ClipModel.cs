using System.Diagnostics;
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
    private readonly ClipEngineOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Tower<TextSignature>? _text;
    private Tower<VisionSignature>? _vision;
    private ExecutionDevice? _device;
    private bool _disposed;

    private readonly Task<ITextTokenizer> _tokenizer;

    private ClipModel(ClipModelFolder folder, Task<ITextTokenizer> tokenizer, ClipEngineOptions options, ILogger logger)
    {
        Folder = folder;
        _tokenizer = tokenizer;
        _options = options;
        _logger = logger;
        Preprocessor = new ClipImagePreprocessor(folder.Preprocessing);
    }

    public ClipModelFolder Folder { get; }

    /// <summary>The family's tokenizer (read on another thread while the towers load: a real CLIP's takes ~0.15 s to build).</summary>
    /// <exception cref="ClipModelException">The tokenizer files are missing or malformed.</exception>
    public ITextTokenizer Tokenizer => _tokenizer.GetAwaiter().GetResult();

    public ClipImagePreprocessor Preprocessor { get; }

    /// <summary>The device the sessions actually run on (after any CUDA fallback); loads the text tower when no tower is loaded yet.</summary>
    public ExecutionDevice Device => _device ?? LoadFirstTower();

    /// <summary>Embedding dimension, shared by both towers (read from the tower loaded first; loads the text tower when none is).</summary>
    public int Dimension => (_text?.Signature.Dimension ?? _vision?.Signature.Dimension) ?? TextTower.Signature.Dimension;

    /// <summary>
    /// The same dimension for work on images: read from the tower loaded first, loading the image tower (not the text
    /// tower) when none is, so an index run never loads the text tower only to learn it; the text tower when there is no image tower.
    /// </summary>
    public int ImageDimension => (_vision?.Signature.Dimension ?? _text?.Signature.Dimension) ?? VisionTower?.Signature.Dimension ?? Dimension;

    /// <summary>Token positions the text tower takes (77 for CLIP, 64 for SigLIP).</summary>
    public int ContextLength => Tokenizer.ContextLength;

    /// <summary>Model identifier recorded by indexes (<see cref="ClipModelFolder.ModelId"/>).</summary>
    public string ModelId => Folder.ModelId;

    /// <summary>The image space this model's embeddings share with another model's, when its folder says so.</summary>
    public string? SharedSpace => Folder.SharedSpace;

    /// <inheritdoc/>
    public IReadOnlyList<string> SharedSpaces => Folder.SharedSpaces;

    public ModelFamily Family => Folder.Family;

    /// <summary>Whether the model can embed images (false for a text tower alone).</summary>
    public bool HasImageTower => Folder.VisionModelPath is not null;

    /// <summary>The family's scoring with the model's own values (see <see cref="ClipModelFolder.Scoring"/>).</summary>
    public ZeroShotScoring Scoring => Folder.Scoring;

    public IReadOnlyList<TensorInfo> VisionInputs => VisionTower?.Signature.Inputs ?? [];

    public IReadOnlyList<TensorInfo> VisionOutputs => VisionTower?.Signature.Outputs ?? [];

    public IReadOnlyList<TensorInfo> TextInputs => TextTower.Signature.Inputs;

    public IReadOnlyList<TensorInfo> TextOutputs => TextTower.Signature.Outputs;

    /// <summary>The graph tensors used: pixel input and embedding output of the vision tower (null for a text tower alone).</summary>
    public (string Pixels, string Embeddings)? VisionTensors => VisionTower?.Signature is { } v ? (v.PixelInput, v.Output) : null;

    /// <summary>The graph tensors used: ids (and mask) input and embedding output of the text tower.</summary>
    public (string Ids, string? Mask, string Embeddings) TextTensors => TextTower.Signature is var t ? (t.IdsInput, t.MaskInput, t.Output) : default;

    /// <summary>Which towers have been loaded so far.</summary>
    public ModelTowers LoadedTowers => (_text is null ? ModelTowers.None : ModelTowers.Text) | (_vision is null ? ModelTowers.None : ModelTowers.Vision);

    /// <summary>Opens the model folder at <paramref name="path"/> and creates the sessions of the towers in <paramref name="load"/>.</summary>
    /// <param name="path">The model folder.</param>
    /// <param name="options">Device, batch size, threads and the optimised-graph cache.</param>
    /// <param name="variant">Weight variant (e.g. quantized); null for the full-precision files.</param>
    /// <param name="logger">Where the device choice and load times are logged.</param>
    /// <param name="load">
    /// The towers to load now; the others load when first used (a text search never pays for the image tower). Loading
    /// now also reports a broken graph now rather than at the first query.
    /// </param>
    /// <exception cref="ClipModelException">A file is missing, unreadable, or its graph is not a tower of the expected kind.</exception>
    /// <exception cref="ClipDeviceException">CUDA was required and cannot be used.</exception>
    public static ClipModel Load(string path, ClipEngineOptions? options = null, string? variant = null, ILogger? logger = null, ModelTowers load = ModelTowers.Both) =>
        Load(ClipModelFolder.Open(path, variant), options ?? new ClipEngineOptions(), logger, load);

    /// <inheritdoc cref="Load(string, ClipEngineOptions?, string?, ILogger?, ModelTowers)"/>
    public static ClipModel Load(ClipModelFolder folder, ClipEngineOptions options, ILogger? logger = null, ModelTowers load = ModelTowers.Both)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(options);
        var model = new ClipModel(folder, Task.Run(() => folder.Tokenizer.Open(folder.Family)), options, logger ?? NullLogger.Instance);
        try
        {
            model.LoadTowers(load);
            if (load != ModelTowers.None)
            {
                _ = model.Tokenizer; // a model loaded now reports a broken tokenizer now too
            }

            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Runs the image tower once on a blank image (when the model has one), so that ONNX Runtime's first-run
    /// allocations and planning are not paid by a user's first image query.</summary>
    public void WarmUpImageTower(CancellationToken cancellationToken = default)
    {
        if (VisionTower is { } tower)
        {
            // The raw output, not normalised: a blank image may well embed to zero.
            _ = RunVisionOn(tower, new float[Preprocessor.TensorLength], 1, cancellationToken);
        }
    }

    /// <summary>Loads the <paramref name="towers"/> not loaded yet (the image tower of a text tower alone is skipped), e.g. a
    /// server at start, so that its first queries do not pay for it nor find a graph broken.</summary>
    /// <exception cref="ClipModelException">A graph is unreadable or not a tower of the expected kind.</exception>
    public void LoadTowers(ModelTowers towers)
    {
        // The text tower first: it decides the device (a CUDA fallback is tried and logged once) and the image tower follows it.
        if (towers.HasFlag(ModelTowers.Text))
        {
            _ = TextTower;
        }

        if (towers.HasFlag(ModelTowers.Vision))
        {
            _ = VisionTower;
        }
    }

    /// <summary>
    /// Image batches worth encoding side by side (<see cref="ClipEngineOptions.ImageStreams"/>): one on CUDA, else as
    /// <see cref="ClipEngineOptions.CpuImageParallelism"/> resolves it. Loads nothing: the device is the one a loaded tower
    /// runs on, else the one asked for (auto: CUDA where an NVIDIA driver is present, so one stream there even if CUDA
    /// then falls back to the CPU).
    /// </summary>
    public int ImageStreams
    {
        get
        {
            var device = Volatile.Read(ref _vision)?.Opened.Device ?? _device
                ?? (_options.Device == ExecutionDevice.Auto ? (OnnxSessions.NvidiaDriverPresent() ? ExecutionDevice.Cuda : ExecutionDevice.Cpu) : _options.Device);
            return device == ExecutionDevice.Cuda ? 1 : _options.CpuImageParallelism(Environment.ProcessorCount).Streams;
        }
    }

    /// <summary>The text tower, loaded on first use.</summary>
    private Tower<TextSignature> TextTower => Volatile.Read(ref _text) ?? LoadTower(ref _text, Folder.TextModelPath, "text",
        (path, session) => TextSignature.Read(path, session, Tokenizer.ContextLength),
        (tower, model) => model.RunTextOn(tower, [model.Tokenizer.Tokenize(string.Empty)], CancellationToken.None).GetLength(1))!;

    /// <summary>The image tower, loaded on first use; null for a text tower alone.</summary>
    private Tower<VisionSignature>? VisionTower => Volatile.Read(ref _vision) ?? (Folder.VisionModelPath is { } path
        ? LoadTower(ref _vision, path, "image",
            (p, session) => VisionSignature.Read(p, session, Folder.Preprocessing.CropSize),
            (tower, model) => model.RunVisionOn(tower, new float[model.Preprocessor.TensorLength], 1, CancellationToken.None).GetLength(1))
        : null);

    private ExecutionDevice LoadFirstTower()
    {
        _ = TextTower;
        return _device!.Value;
    }

    /// <summary>Creates a tower's session once (under the model's lock), reads its signature, learns a symbolic output
    /// dimension from one tiny run, and checks that it agrees with the other tower's.</summary>
    private Tower<TSignature> LoadTower<TSignature>(ref Tower<TSignature>? slot, string path, string kind,
        Func<string, InferenceSession, TSignature> readSignature, Func<Tower<TSignature>, ClipModel, int> probeDimension)
        where TSignature : TowerSignature
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (slot is { } loaded)
            {
                return loaded;
            }

            var started = Stopwatch.GetTimestamp();
            var options = _device is { } device ? _options.WithDevice(device) : _options;
            if (typeof(TSignature) == typeof(VisionSignature))
            {
                options = options.ForImageTower(Environment.ProcessorCount);
            }

            var opened = OpenSession(path, options, _logger);
            var (session, actual, cached) = (opened.Session, opened.Device, opened.FromCache);
            try
            {
                var tower = new Tower<TSignature>(opened, readSignature(path, session), _options.BatchSize);
                if (tower.Signature.Dimension <= 0)
                {
                    tower.Signature.Dimension = probeDimension(tower, this);
                }

                var other = (TowerSignature?)(typeof(TSignature) == typeof(TextSignature) ? _vision?.Signature : _text?.Signature);
                if (other is not null && other.Dimension != tower.Signature.Dimension)
                {
                    var (vision, text) = other is TextSignature ? (tower.Signature.Dimension, other.Dimension) : (other.Dimension, tower.Signature.Dimension);
                    throw new ClipModelException(Folder.Root,
                        $"towers with the same embedding dimension, but {Path.GetFileName(Folder.VisionModelPath)} outputs {vision} and {Path.GetFileName(Folder.TextModelPath)} outputs {text}");
                }

                _device ??= actual;
                Volatile.Write(ref slot, tower);
                var (file, milliseconds) = (Path.GetFileName(path), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    LogTowerLoaded(_logger, kind, file, milliseconds, cached ? "the cached optimised graph" : "the ONNX file", actual);
                    if (_text is not null && (_vision is not null || !HasImageTower))
                    {
                        LogLoaded(_logger, Folder.ModelId, Folder.Family, tower.Signature.Dimension, actual);
                    }
                }

                return tower;
            }
            catch
            {
                opened.Dispose();
                throw;
            }
        }
    }

    private static OnnxSession OpenSession(string path, ClipEngineOptions options, ILogger logger)
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

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _vision?.Opened.Dispose();
            _text?.Opened.Dispose();
        }

        ((IAsyncResult)_tokenizer).AsyncWaitHandle.WaitOne(); // finished either way: a tokenizer that failed to load holds nothing
        if (_tokenizer.IsCompletedSuccessfully)
        {
            (_tokenizer.Result as IDisposable)?.Dispose();
        }
    }

    /// <summary>A loaded tower: its session (thread-safe, shared), what its graph takes and gives, and its batch size.</summary>
    private sealed class Tower<TSignature>(OnnxSession opened, TSignature signature, int batchSize)
        where TSignature : TowerSignature
    {
        public OnnxSession Opened { get; } = opened;

        public InferenceSession Session => Opened.Session;

        public TSignature Signature { get; } = signature;

        public int BatchSize { get; } = Math.Min(batchSize, signature.FixedBatch ?? int.MaxValue);
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Loaded the {Kind} tower ({File}) in {Milliseconds:F0} ms from {Source}, on {Device}")]
    private static partial void LogTowerLoaded(ILogger logger, string kind, string file, double milliseconds, string source, ExecutionDevice device);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Loaded model {ModelId} ({Family}, dimension {Dimension}) on {Device}")]
    private static partial void LogLoaded(ILogger logger, string modelId, ModelFamily family, int dimension, ExecutionDevice device);
}
