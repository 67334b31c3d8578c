using System.Diagnostics;
using System.Globalization;
using ClipSearch.Clip;
using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Inference;
using Microsoft.ML.OnnxRuntime;

namespace ClipSearch.Tools.EngineBenchmark;

/// <summary>
/// Chooses the CPU session options by measurement: image-encoding throughput for intra-op thread counts,
/// spin-waiting on/off, graph optimisation levels, parallel execution with inter-op threads and batch sizes, alone
/// and with image decoding competing for the same cores (as while indexing). Prints medians of several rounds and
/// ratios against the first configuration (the default), measured in the same run.
/// usage: dotnet run -c Release --project tools/EngineBenchmark -- [MODEL_DIR] [IMAGE_DIR] [ROUNDS] [MAX_IMAGES] [CONFIGS]
/// (CONFIGS: positions in the list below, comma-separated, the first being the baseline; default all)
/// </summary>
internal static class BenchmarkRunner
{
    public static int Run(string[] args)
    {
        var repo = FindRepo();
        var modelDir = args.Length > 0 ? args[0] : Path.Combine(repo, "models", "tiny-clip");
        var imageDir = args.Length > 1 ? args[1] : Path.Combine(repo, "tests", "data", "tiny-clip-heldout");
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var maxImages = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : int.MaxValue;
        var files = Directory.GetFiles(imageDir).Where(f => f.EndsWith(".jpg", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Take(maxImages).ToList();
        var decoder = new SafeImageDecoder(new ImageDecodeOptions());
        var cores = Environment.ProcessorCount;

        Console.WriteLine($"model {modelDir}, {files.Count} images from {imageDir}, {cores} cores, {rounds} rounds");
        static ClipEngineOptions Cpu(int batch = 16, int threads = 0, bool spin = false, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL,
            int interOp = 1) => new()
            {
                Device = ExecutionDevice.Cpu, BatchSize = batch, IntraOpThreads = threads, AllowSpinning = spin, OptimizationLevel = level, InterOpThreads = interOp,
            };
        var configs = new List<(string Name, ClipEngineOptions Options, int Streams)>
        {
            ($"threads={cores} spin=off opt=all batch=16 (default)", Cpu(), 1),
            ($"{cores} streams x threads=1 (batches in parallel)", Cpu(threads: 1), cores),
            ($"{cores} streams x threads=1, batch=8", Cpu(batch: 8, threads: 1), cores),
            ($"threads={cores} spin=on", Cpu(spin: true), 1),
            ("threads=1 spin=off", Cpu(threads: 1), 1),
            ("opt=extended", Cpu(level: GraphOptimizationLevel.ORT_ENABLE_EXTENDED), 1),
            ("opt=basic", Cpu(level: GraphOptimizationLevel.ORT_ENABLE_BASIC), 1),
            ($"parallel, inter-op threads={cores}", Cpu(interOp: cores), 1),
            ("batch=8", Cpu(batch: 8), 1),
            ("batch=32", Cpu(batch: 32), 1),
        };
        if (args.Length > 4)
        {
            // Only the configurations named by their positions above, e.g. "0,1,2" (the default first, as the baseline).
            var keep = args[4].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToList();
            configs = [.. keep.Select(i => configs[i])];
        }

        // Rounds go through every configuration in turn, so that a change in the machine's load hits them all; a
        // configuration's ratio is the median of its per-round ratios to the default measured in the same round.
        var tensors = new List<float[]>();
        var speed = configs.Select(_ => (Alone: new List<double>(), Contended: new List<double>())).ToList();
        for (var r = 0; r < rounds; r++)
        {
            for (var c = 0; c < configs.Count; c++)
            {
                var (_, options, streams) = configs[c];
                using var model = ClipModel.Load(modelDir, options);
                if (tensors.Count == 0)
                {
                    tensors = [.. files.Select(f =>
                    {
                        var d = decoder.DecodeFile(f);
                        using var img = d.Image!;
                        return model.Preprocessor.Preprocess(img);
                    })];
                }

                model.EncodePixelTensors(tensors.Take(options.BatchSize).ToList()); // warm-up
                speed[c].Alone.Add(Measure(model, tensors, options.BatchSize, streams));
                speed[c].Contended.Add(MeasureContended(model, options.BatchSize, streams, decoder, files, tensors));
            }

            Console.Error.WriteLine($"round {r + 1} of {rounds} done");
        }

        static double Median(IEnumerable<double> xs) => xs.Order().ElementAt(xs.Count() / 2);
        foreach (var contended in new[] { false, true })
        {
            Console.WriteLine(contended ? "\nencode while decoding on the same cores (indexing)" : "\nencode alone");
            for (var c = 0; c < configs.Count; c++)
            {
                var mine = contended ? speed[c].Contended : speed[c].Alone;
                var baseline = contended ? speed[0].Contended : speed[0].Alone;
                var ratio = Median(mine.Zip(baseline, (a, b) => a / b));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {configs[c].Name,-48} {Median(mine),8:0.0} images/s  x{ratio:0.00}"));
            }
        }

        return 0;
    }

    // Passes until a round has lasted 2 s, so that it is long enough to measure on a shared machine; with several
    // streams the batches of a pass run that many at a time (each stream one caller thread of the same session).
    private static double Measure(ClipModel model, List<float[]> tensors, int size, int streams)
    {
        var batches = tensors.Chunk(size).ToList();
        var sw = Stopwatch.StartNew();
        var passes = 0;
        do
        {
            Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = streams }, b => model.EncodePixelTensors(b));
            passes++;
        }
        while (sw.Elapsed.TotalSeconds < 2);

        return passes * tensors.Count / sw.Elapsed.TotalSeconds;
    }

    /// <summary>Images/s of a pipeline: decode + preprocess on all cores feeding batched encoding.</summary>
    private static double MeasureContended(ClipModel model, int size, int streams, SafeImageDecoder decoder, List<string> files, List<float[]> tensors)
    {
        var sw = Stopwatch.StartNew();
        var queue = new System.Collections.Concurrent.BlockingCollection<float[]>(64);
        var producer = Task.Run(() =>
        {
            Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, f =>
            {
                var d = decoder.DecodeFile(f);
                using var img = d.Image!;
                queue.Add(model.Preprocessor.Preprocess(img));
            });
            queue.CompleteAdding();
        });
        var consumers = Enumerable.Range(0, streams).Select(_ => Task.Run(() =>
        {
            var batch = new List<float[]>(size);
            foreach (var t in queue.GetConsumingEnumerable())
            {
                batch.Add(t);
                if (batch.Count == size)
                {
                    model.EncodePixelTensors(batch);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                model.EncodePixelTensors(batch);
            }
        })).ToArray();
        Task.WaitAll(consumers);
        producer.Wait();
        return tensors.Count / sw.Elapsed.TotalSeconds;
    }

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClipSearch.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
