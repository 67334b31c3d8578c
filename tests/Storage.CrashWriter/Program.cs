using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded;

// usage: CrashWriter FOLDER COLLECTION FIRST_BATCH
// Upserts batches of 20 points ("b{n}/i{k}.jpg") forever, printing "ACK n" after each batch returns.
var folder = args[0];
var name = args[1];
var batch = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
using var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = folder });
IVectorCollection collection;
try
{
    collection = await store.OpenCollectionAsync(name, "crash-model", 8);
}
catch (VectorStoreException e) when (e.Kind == VectorStoreErrorKind.CollectionNotFound)
{
    collection = await store.CreateCollectionAsync(name, "crash-model", 8);
}

var random = new Random(batch);
Console.Out.WriteLine("READY");
Console.Out.Flush();
while (true)
{
    var points = Enumerable.Range(0, 20).Select(i =>
    {
        var v = new float[8];
        v[i % 8] = 0.6f;
        v[(i + 1 + random.Next(7)) % 8] = 0.8f;
        var path = $"b{batch}/i{i}.jpg";
        return new VectorPoint(PointIds.ForImage("/crash", path), v, new ImagePayload { Path = path, Root = "/crash", Format = "jpeg", Width = batch, Height = i });
    }).ToList();
    await collection.UpsertAsync(points);
    Console.Out.WriteLine($"ACK {batch}");
    Console.Out.Flush();
    batch++;
}
