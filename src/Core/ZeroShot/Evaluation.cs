namespace ClipSearch.Core.ZeroShot;

/// <summary>
/// Accuracy of a zero-shot classifier on labelled images: top-1 and top-5, per class, the confusion matrix
/// (rows: true label, columns: predicted, in <see cref="Labels"/> order) and the most confused pairs.
/// </summary>
public sealed record Evaluation(IReadOnlyList<string> Labels, int Images, double Top1, double Top5, IReadOnlyDictionary<string, double> PerClass,
    int[,] Matrix, IReadOnlyList<Confusion> MostConfused)
{
    /// <summary>Scores <paramref name="classifier"/> on image embeddings with their true labels (which must be among its labels).</summary>
    public static Evaluation Run(ZeroShotClassifier classifier, IReadOnlyList<(string Path, string Truth, float[] Embedding)> images, int examples = 3)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(images);
        var labels = classifier.Labels;
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        var matrix = new int[labels.Count, labels.Count];
        var results = classifier.ClassifyMany([.. images.Select(i => i.Embedding)]);
        int top1 = 0, top5 = 0;
        var pairs = new Dictionary<(int, int), List<string>>();
        for (var n = 0; n < images.Count; n++)
        {
            var truth = index[images[n].Truth];
            var ranked = results[n].Labels;
            var predicted = index[ranked[0].Label];
            matrix[truth, predicted]++;
            top1 += truth == predicted ? 1 : 0;
            top5 += ranked.Take(5).Any(s => s.Label == images[n].Truth) ? 1 : 0;
            if (truth != predicted)
            {
                (pairs.TryGetValue((truth, predicted), out var list) ? list : pairs[(truth, predicted)] = []).Add(images[n].Path);
            }
        }

        var perClass = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            var total = Enumerable.Range(0, labels.Count).Sum(j => matrix[i, j]);
            if (total > 0)
            {
                perClass[labels[i]] = (double)matrix[i, i] / total;
            }
        }

        var confused = pairs.OrderByDescending(p => p.Value.Count).ThenBy(p => labels[p.Key.Item1], StringComparer.Ordinal).Take(10)
            .Select(p => new Confusion(labels[p.Key.Item1], labels[p.Key.Item2], p.Value.Count, [.. p.Value.Order(StringComparer.Ordinal).Take(examples)]))
            .ToList();
        var count = Math.Max(1, images.Count);
        return new Evaluation(labels, images.Count, (double)top1 / count, (double)top5 / count, perClass, matrix, confused);
    }
}
