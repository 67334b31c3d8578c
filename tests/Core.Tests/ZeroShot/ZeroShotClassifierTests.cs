using ClipSearch.Core.Embeddings;
using ClipSearch.Core.ZeroShot;

namespace ClipSearch.Core.Tests.ZeroShot;

public sealed class ZeroShotClassifierTests
{
    /// <summary>A text "encoder" with fixed, unnormalised outputs, counting its calls.</summary>
    private sealed class FakeEncoder(Dictionary<string, float[]> vectors) : ITextEncoder
    {
        public int Calls { get; private set; }

        public string ModelId => "fake";

        public int Dimension => 2;

        public ZeroShotScoring Scoring { get; } = ZeroShotScoring.Softmax(42f);

        public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        {
            Calls++;
            return [.. texts.Select(t => vectors[t])];
        }
    }

    private static ZeroShotClassifier TwoLabels(float logitScale) =>
        ZeroShotClassifier.FromEmbeddings(["cat", "dog"], [[1f, 0f], [0f, 1f]], ZeroShotScoring.Softmax(logitScale));

    [Fact]
    public void Embed_Ensemble_IsTheRenormalisedMeanOfTheNormalisedPrompts()
    {
        var encoder = new FakeEncoder(new()
        {
            ["a photo of a cat."] = [3f, 0f],       // normalised: (1, 0)
            ["a drawing of a cat."] = [0f, 2f],     // normalised: (0, 1)
            ["a photo of a dog."] = [0f, -5f],
            ["a drawing of a dog."] = [0f, -1f],
        });
        var prompts = new PromptSet(["a photo of a {}.", "a drawing of a {}."]);
        var embeddings = ZeroShotClassifier.Embed(["cat", "dog"], prompts, texts => encoder.Encode(texts));
        // cat: mean((1,0),(0,1)) = (0.5,0.5) -> (0.70711, 0.70711); dog: mean((0,-1),(0,-1)) -> (0,-1).
        Assert.Equal(0.70710678f, embeddings[0][0], 5);
        Assert.Equal(0.70710678f, embeddings[0][1], 5);
        Assert.Equal([0f, -1f], embeddings[1]);
        Assert.Equal(1, encoder.Calls); // every prompt in one encoder call
    }

    [Fact]
    public void Classify_ProbabilitiesAreTheSoftmaxOfLogitScaleTimesCosine()
    {
        var result = TwoLabels(10f).Classify([0.6f, 0.8f]);
        // logits 6 and 8: p(dog) = 1 / (1 + e^-2) = 0.880797, p(cat) = 0.119203.
        Assert.Equal("dog", result.Label);
        Assert.Equal(("dog", 0.880797f, 0.8f), (result.Best.Label, result.Best.Probability, result.Best.Score), new Tolerance());
        Assert.Equal(0.119203f, result.RunnerUp!.Probability, 5);
        Assert.Equal(0.6f, result.RunnerUp.Score, 6);

        var sharp = TwoLabels(100f).Classify([0.6f, 0.8f]);
        Assert.Equal(1 - 2.0611537e-9, sharp.Best.Probability, 6); // e^-20
    }

    [Fact]
    public void Classify_Thresholds_LeaveWeakOrAmbiguousImagesUnlabelled()
    {
        var classifier = TwoLabels(100f);
        float[] image = [0.6f, 0.8f]; // best 0.8, margin 0.2
        Assert.Equal("dog", classifier.Classify(image, new Thresholds(MinScore: 0.8f)).Label);
        Assert.Null(classifier.Classify(image, new Thresholds(MinScore: 0.81f)).Label);
        Assert.Equal("dog", classifier.Classify(image, new Thresholds(MinMargin: 0.19f)).Label);
        Assert.Null(classifier.Classify(image, new Thresholds(MinMargin: 0.21f)).Label);
        Assert.Null(classifier.Classify(image, new Thresholds(0.5f, 0.3f)).Label);
        // Unlabelled still reports every label's scores.
        Assert.Equal(2, classifier.Classify(image, new Thresholds(0.9f)).Labels.Count);
    }

    [Fact]
    public void ClassifyMany_EqualsOneByOne()
    {
        var classifier = ZeroShotClassifier.FromEmbeddings(["a", "b", "c"], [[1f, 0f, 0f], [0f, 1f, 0f], [0f, 0f, 1f]], ZeroShotScoring.Softmax(50f));
        var random = new Random(5);
        var images = Enumerable.Range(0, 100).Select(_ =>
        {
            var v = new[] { (float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.5f };
            VectorMath.NormalizeInPlace(v);
            return v;
        }).ToList();
        var many = classifier.ClassifyMany(images);
        var thresholds = new Thresholds(0.3f, 0.05f);
        var tops = classifier.LabelMany(images, thresholds);
        for (var i = 0; i < images.Count; i++)
        {
            var one = classifier.Classify(images[i]);
            Assert.Equal(one.Label, many[i].Label);
            Assert.Equal(one.Labels.Select(l => l.Probability), many[i].Labels.Select(l => l.Probability));

            // The allocation-free decision used for bulk labelling agrees with the full classification.
            var full = classifier.Classify(images[i], thresholds);
            Assert.Equal(full.Best.Label, classifier.Labels[tops[i].Best]);
            Assert.Equal(full.RunnerUp!.Label, classifier.Labels[tops[i].Second]);
            Assert.Equal(full.Best.Score, tops[i].BestScore, 6);
            Assert.Equal(full.Label is not null, tops[i].Labelled);
        }

        Assert.Contains(tops, t => !t.Labelled);
        Assert.Contains(tops, t => t.Labelled);
    }

    [Fact]
    public void Create_EmbedsEveryPromptInOneCallAndTakesTheEncodersScoring()
    {
        var encoder = new FakeEncoder(new() { ["x cat"] = [2f, 0f], ["y cat"] = [0f, 2f], ["x dog"] = [0f, -1f], ["y dog"] = [0f, -3f] });
        var classifier = ZeroShotClassifier.Create([" cat ", "dog"], new PromptSet(["x {}", "y {}"]), encoder);
        Assert.Equal(1, encoder.Calls);
        Assert.Equal(["cat", "dog"], classifier.Labels);
        Assert.Same(encoder.Scoring, classifier.Scoring);
        Assert.Equal(MathF.Sqrt(0.5f), classifier.LabelEmbeddings[0][0], 1e-6f);
        Assert.Equal(-1f, classifier.LabelEmbeddings[1][1], 1e-6f);
    }

    [Fact]
    public void Create_FewerThanTwoOrRepeatedLabels_IsRefused()
    {
        var encoder = new FakeEncoder([]);
        Assert.Throws<ArgumentException>(() => ZeroShotClassifier.Create(["cat"], new PromptSet(["{}"]), encoder));
        Assert.Throws<ArgumentException>(() => ZeroShotClassifier.Create(["cat", "cat"], new PromptSet(["{}"]), encoder));
    }

    [Fact]
    public void Prompts_OverridesEnsemblesAndFiles()
    {
        var set = PromptSet.Parse("""
            # pets
            a photo of a {}, a type of pet.
            boxer: a photo of a boxer, a type of dog.
            boxer = a boxer dog.
            """, "pets.txt");
        Assert.Equal(["a photo of a cat, a type of pet."], set.PromptsFor("cat"));
        Assert.Equal(["a photo of a boxer, a type of dog.", "a boxer dog."], set.PromptsFor("boxer"));
        Assert.Throws<FormatException>(() => PromptSet.Parse("no placeholder here", "bad.txt"));
        Assert.Throws<ArgumentException>(() => new PromptSet(["a photo"]));

        Assert.Equal(["a photo of a {}."], PromptSet.Ensemble("photo").Templates);
        Assert.Equal(80, PromptSet.Ensemble("imagenet80").Templates.Count);
        Assert.Contains("a bad photo of a {}.", PromptSet.Ensemble("imagenet80").Templates);
        Assert.Equal(["a photo of a {}, a type of pet."], PromptSet.Ensemble("pets").Templates);
        Assert.Equal(["a photo of {}, a type of food."], PromptSet.Ensemble("food").Templates);
        Assert.Contains("a centered satellite photo of {}.", PromptSet.Ensemble("satellite").Templates);
        foreach (var name in new[] { "aircraft", "flowers", "cars" })
        {
            Assert.NotEmpty(PromptSet.Ensemble(name).Templates);
        }

        var e = Assert.Throws<ArgumentException>(() => PromptSet.Ensemble("nope"));
        Assert.Contains("imagenet80", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_SigmoidModel_GivesIndependentProbabilitiesAndNoneOfTheseUnderHalfByDefault()
    {
        // scale 10, bias -5: a label is a yes from cosine 0.5 on; p = sigmoid(10 x cos - 5).
        var classifier = ZeroShotClassifier.FromEmbeddings(["cat", "dog"], [[1f, 0f], [0f, 1f]], ZeroShotScoring.Sigmoid(10f, -5f));
        var v = Unit(0.8f, 0.6f);

        var result = classifier.Classify(v);

        Assert.Equal(1 / (1 + Math.Exp(-(10 * 0.8 - 5))), result.Labels[0].Probability, 5);
        Assert.Equal(1 / (1 + Math.Exp(-(10 * 0.6 - 5))), result.Labels[1].Probability, 5); // independent: they need not sum to 1
        Assert.Equal("cat", result.Label);
        // cos 0.45 and 0.3: no label reaches 0.5, so "none of these" by default, in both the detailed and the bulk path.
        var weak = Unit(0.45f, 0.3f);
        Assert.Null(classifier.Classify(weak).Label);
        Assert.False(classifier.LabelMany([weak])[0].Labelled);
        Assert.True(classifier.LabelMany([v])[0].Labelled);
        // A threshold the user gives replaces the default; 0 turns it off.
        Assert.Equal("cat", classifier.Classify(weak, new Thresholds(MinProbability: 0f)).Label);
        Assert.Equal(0.5f, ZeroShotScoring.Sigmoid(10f, -5f).CosineAt(0.5f), 5);
    }

    [Fact]
    public void Classify_SoftmaxModel_MinProbabilityIsTheBestLabelsShare()
    {
        var classifier = TwoLabels(10f);
        var v = Unit(0.8f, 0.6f); // softmax(8, 6): cat 0.8808

        Assert.Equal("cat", classifier.Classify(v, new Thresholds(MinProbability: 0.88f)).Label);
        Assert.Null(classifier.Classify(v, new Thresholds(MinProbability: 0.89f)).Label);
        Assert.True(classifier.LabelMany([v], new Thresholds(MinProbability: 0.88f))[0].Labelled);
        Assert.False(classifier.LabelMany([v], new Thresholds(MinProbability: 0.89f))[0].Labelled);
        Assert.Equal("cat", classifier.Classify(Unit(0.71f, 0.70f)).Label); // no default threshold for CLIP models
    }

    [Fact]
    public void Classify_SigmoidWithoutScaleAndBias_RefusesAProbabilityThresholdInWords()
    {
        var classifier = ZeroShotClassifier.FromEmbeddings(["cat", "dog"], [[1f, 0f], [0f, 1f]], ZeroShotScoring.SigmoidWithout("pull it again"));

        var top = classifier.LabelMany([Unit(0.8f, 0.6f)])[0]; // no default threshold without probabilities
        Assert.True(top.Labelled);
        Assert.Equal(0, top.Best);
        Assert.Throws<ZeroShotScoringException>(() => classifier.LabelMany([Unit(0.8f, 0.6f)], new Thresholds(MinProbability: 0.5f)));
    }

    [Fact]
    public void TagRows_SigmoidMultiLabel_EveryLabelAtItsOwnProbabilityBestFirst()
    {
        // scale 10, bias -5: each label is a yes from cosine 0.5 on, whatever the others score.
        var classifier = ZeroShotClassifier.FromEmbeddings(["cat", "dog", "sofa"], [[1f, 0f, 0f], [0f, 1f, 0f], [0f, 0f, 1f]], ZeroShotScoring.Sigmoid(10f, -5f));
        float[][] images = [[0.6f, 0.7f, 0.55f], [0.3f, 0.2f, 0.1f], [0.9f, 0.1f, 0.2f], [0.52f, 0.52f, 0.49f], [0.1f, 0.1f, 0.8f]];
        var thresholds = classifier.EffectiveMultiLabel(null);
        Assert.Equal(new Thresholds(MinProbability: 0.5f), thresholds);

        var tags = classifier.TagRows(images.SelectMany(v => v).ToArray(), thresholds, multiLabel: true);

        string[] Names(LabelTags t) => t.Top.Labelled ? [classifier.Labels[t.Top.Best], .. t.Also!.Select(a => a.Label)] : [];
        Assert.Equal(["dog", "cat", "sofa"], Names(tags[0]));
        Assert.Equal([0.6f, 0.55f], tags[0].Also!.Select(a => a.Score));
        Assert.Empty(Names(tags[1]));
        Assert.Empty(tags[1].Also!);
        Assert.Equal(["cat"], Names(tags[2]));
        Assert.Equal(["cat", "dog"], Names(tags[3])); // equal scores: by label; a margin of 0 does not matter here
        Assert.Equal(["sofa"], Names(tags[4]));
        // The bulk path over many images (four at a time) decides as the one-by-one path does.
        var many = Enumerable.Range(0, 40).Select(i => images[i % images.Length]).ToList();
        Assert.Equal(many.Select(v => string.Join(",", Names(classifier.TagMany([v], thresholds, true)[0]))),
            classifier.TagMany(many, thresholds, true).Select(t => string.Join(",", Names(t))));
        // Single-label: the best alone, as LabelMany decides it.
        var single = classifier.TagRows(images[0], classifier.Effective(null), multiLabel: false)[0];
        Assert.Null(single.Also);
        Assert.Equal(classifier.LabelMany([images[0]])[0], single.Top);
    }

    [Fact]
    public void EffectiveMultiLabel_ThresholdsThatCannotDecideEachLabelAlone_RefusedInWords()
    {
        var softmax = TwoLabels(100f);
        Assert.Contains("give a minimum score", Assert.Throws<ArgumentException>(() => softmax.EffectiveMultiLabel(null)).Message, StringComparison.Ordinal);
        Assert.Contains("shares among the labels", Assert.Throws<ArgumentException>(() => softmax.EffectiveMultiLabel(new Thresholds(MinProbability: 0.3f))).Message,
            StringComparison.Ordinal);
        Assert.Contains("runner-up", Assert.Throws<ArgumentException>(() => softmax.EffectiveMultiLabel(new Thresholds(MinScore: 0.2f, MinMargin: 0.01f))).Message,
            StringComparison.Ordinal);
        Assert.Equal(new Thresholds(MinScore: 0.25f), softmax.EffectiveMultiLabel(new Thresholds(MinScore: 0.25f)));

        // A CLIP model with a cosine threshold: every label at or above it.
        var tags = softmax.TagMany([Unit(0.8f, 0.6f), Unit(0.8f, 0.2f)], new Thresholds(MinScore: 0.5f), multiLabel: true);
        Assert.Equal(["dog"], tags[0].Also!.Select(a => a.Label));
        Assert.Empty(tags[1].Also!);

        var unknown = ZeroShotClassifier.FromEmbeddings(["cat", "dog"], [[1f, 0f], [0f, 1f]], ZeroShotScoring.SigmoidWithout("pull it again"));
        Assert.Contains("probabilities are unknown", Assert.Throws<ArgumentException>(() => unknown.EffectiveMultiLabel(null)).Message, StringComparison.Ordinal);
    }

    private static float[] Unit(float a, float b) => [a, b];

    private sealed class Tolerance : IEqualityComparer<(string, float, float)>
    {
        public bool Equals((string, float, float) x, (string, float, float) y) =>
            x.Item1 == y.Item1 && Math.Abs(x.Item2 - y.Item2) < 1e-5 && Math.Abs(x.Item3 - y.Item3) < 1e-6;

        public int GetHashCode((string, float, float) obj) => obj.Item1.GetHashCode(StringComparison.Ordinal);
    }
}
