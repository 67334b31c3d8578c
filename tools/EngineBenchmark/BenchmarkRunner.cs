using System.Diagnostics;
using System.Globalization;
using ClipSearch.Clip;
using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Inference;

namespace ClipSearch.Tools.EngineBenchmark;

/// <summary>
/// Chooses the CPU session options by measurement: image-encoding throughput for intra-op thread counts
/// and spin-waiting on/off, alone and with image decoding competing for the same cores (as while indexing).
/// Prints medians of several rounds and ratios against the first configuration, measured in the same run.
/// usage: dotnet run -c Release --project tools/EngineBenchmark -- [MODEL_DIR] [IMAGE_DIR] [ROUNDS]
/// </summary>
internal static class BenchmarkRunner
{
    public static int Run(string[] args)
    {
        var repo = FindRepo();
        var modelDir = args.Length > 0 ? args[0] : Path.Combine(repo, "models", "tiny-clip");
        var imageDir = args.Length > 1 ? args[1] : Path.Combine(repo, "tests", "data", "tiny-clip-heldout");
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var files = Directory.GetFiles(imageDir).Where(f => f.EndsWith(".jpg", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var decoder = new SafeImageDecoder(new ImageDecodeOptions());
        var cores = Environment.ProcessorCount;

        Console.WriteLine($"model {modelDir}, {files.Count} images from {imageDir}, {cores} cores, {rounds} rounds, batch 16");
        var configs = new List<(string Name, int Threads, bool Spin)>
        {
            ($"threads={cores} spin=off (default)", 0, false),
            ($"threads={cores} spin=on", 0, true),
            ("threads=1 spin=off", 1, false),
        };
        foreach (var contended in new[] { false, true })
        {
            Console.WriteLine(contended ? "\nencode while decoding on the same cores (indexing)" : "\nencode alone");
            double? baseline = null;
            foreach (var (name, threads, spin) in configs)
            {
                using var model = ClipModel.Load(modelDir, new ClipEngineOptions { Device = ExecutionDevice.Cpu, BatchSize = 16, IntraOpThreads = threads, AllowSpinning = spin });
                var tensors = files.Select(f =>
                {
                    var d = decoder.DecodeFile(f);
                    using var img = d.Image!;
                    return model.Preprocessor.Preprocess(img);
                }).ToList();
                model.EncodePixelTensors(tensors.Take(16).ToList()); // warm-up
                var samples = new List<double>();
                for (var r = 0; r < rounds; r++)
                {
                    samples.Add(contended ? MeasureContended(model, decoder, files, tensors) : Measure(model, tensors));
                }

                var median = samples.Order().ElementAt(samples.Count / 2);
                baseline ??= median;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-34} {median,8:0.0} images/s  x{median / baseline.Value:0.00}"));
            }
        }

        return 0;
    }

    // Several passes per round so that a round lasts long enough to measure on a shared machine.
    private static double Measure(ClipModel model, List<float[]> tensors, int passes = 8)
    {
        var sw = Stopwatch.StartNew();
        for (var p = 0; p < passes; p++)
        {
            model.EncodePixelTensors(tensors);
        }

        return passes * tensors.Count / sw.Elapsed.TotalSeconds;
    }

    /// <summary>Images/s of a pipeline: decode + preprocess on all cores feeding batched encoding.</summary>
    private static double MeasureContended(ClipModel model, SafeImageDecoder decoder, List<string> files, List<float[]> tensors)
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
        var batch = new List<float[]>(16);
        foreach (var t in queue.GetConsumingEnumerable())
        {
            batch.Add(t);
            if (batch.Count == 16)
            {
                model.EncodePixelTensors(batch);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            model.EncodePixelTensors(batch);
        }

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
