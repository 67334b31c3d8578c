namespace ClipSearch.Core.Ranking;

/// <summary>
/// Queries about everyday things of every kind, for calibration: over any one collection nearly every pairing of these with
/// an image is unrelated, so their scores show how high an unrelated query's score reaches there.
/// </summary>
public static class ProbeQueries
{
    /// <summary>The queries (English; a multilingual text tower reads them as well).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "a photo of a dog", "a photo of a cat", "a photo of a horse", "a photo of a bird", "a photo of a fish", "a photo of an elephant",
        "a photo of a car", "a photo of a bicycle", "a photo of an airplane", "a photo of a train", "a photo of a boat", "a photo of a bus",
        "a photo of a pizza", "a photo of a cake", "a photo of an apple", "a bowl of soup", "a cup of coffee", "a glass of wine",
        "a photo of a beach", "a photo of a mountain", "a forest in autumn", "a city street at night", "a desert", "a snowy field",
        "a photo of a chair", "a photo of a table", "a photo of a lamp", "a photo of a clock", "a photo of a book", "a photo of a laptop",
        "a photo of a phone", "a photo of a guitar", "a photo of a piano", "a pair of shoes", "a red dress", "a winter coat",
        "a baby sleeping", "a group of friends", "a wedding", "a football match", "a person running", "a man with a beard",
        "a woman smiling", "children playing", "an old building", "a bridge over a river", "a church", "a castle",
        "a sunset over the sea", "clouds in a blue sky", "a rainbow", "lightning", "the moon", "fireworks",
        "a screenshot of a website", "a scanned document", "a receipt", "a map", "a diagram", "handwriting",
        "a close-up of a flower", "a tree", "grass", "a rock", "sand", "water drops",
        "a kitchen", "a bathroom", "a bedroom", "an office", "a classroom", "a supermarket",
        "a tool", "a hammer", "a pair of scissors", "a key", "a coin", "a watch",
        "a painting", "a statue", "a poster", "a logo", "a cartoon", "a sculpture",
        "a bee", "a butterfly", "a spider", "a snake", "a frog", "a turtle",
        "a tractor", "a truck", "a motorcycle", "a helicopter", "a rocket", "a ship",
    ];
}
