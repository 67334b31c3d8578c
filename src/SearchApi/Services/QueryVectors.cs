using ClipSearch.Core;
using ClipSearch.Core.Index;
using ClipSearch.SearchApi.Common;
using ClipSearch.SearchApi.Contracts;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// Turns the terms of a search into one query vector: the weighted sum of each term's normalised embedding,
/// negatives subtracted, normalised again. Texts are embedded in one batch; images are read from the index.
/// </summary>
internal sealed class QueryVectors(QueryEncoder encoder, UploadCache uploads)
{
    /// <summary>
    /// The indexed image a query is made of when it is the only positive term ("more like this", negatives allowed): its results
    /// leave it out, as <c>GET /api/images/{id}/similar</c> does. Null for any other query. Call after <see cref="BuildAsync"/> validated the terms.
    /// </summary>
    public static Guid? SoleImage(SearchRequest request)
    {
        var positives = (request.Text is null ? 0 : 1) + (request.ImageId is null ? 0 : 1) + (request.Positive?.Count ?? 0);
        var image = request.ImageId ?? (request.Positive is [var only] ? only?.ImageId : null);
        return positives == 1 && Guid.TryParse(image, out var id) ? id : null;
    }

    public async Task<float[]> BuildAsync(SearchRequest request, IVectorCollection collection, CancellationToken cancellationToken)
    {
        var terms = new List<(QueryTerm Term, float Sign, string Field)>();
        if (request.Text is not null)
        {
            terms.Add((new QueryTerm { Text = request.Text }, 1f, "text"));
        }

        if (request.ImageId is not null)
        {
            terms.Add((new QueryTerm { ImageId = request.ImageId }, 1f, "imageId"));
        }

        terms.AddRange((request.Positive ?? []).Select((t, i) => (t, 1f, $"positive[{i}]")));
        terms.AddRange((request.Negative ?? []).Select((t, i) => (t, -1f, $"negative[{i}]")));
        if (terms.Count == 0 || terms.All(t => t.Sign < 0))
        {
            throw RequestException.Invalid("the query is empty: give text, imageId, or positive terms (negative terms only move a query away from something).");
        }

        if (terms.Count > RequestRules.MaxTerms)
        {
            throw RequestException.Invalid($"a query has at most {RequestRules.MaxTerms} terms, got {terms.Count}.");
        }

        var texts = new List<(int Term, string Text)>();
        var vectors = new float[terms.Count][];
        for (var i = 0; i < terms.Count; i++)
        {
            var (term, _, field) = terms[i];
            if (term is null)
            {
                throw RequestException.Invalid($"{field} is null.");
            }

            if (!float.IsFinite(term.Weight) || term.Weight <= 0 || term.Weight > 100)
            {
                throw RequestException.Invalid($"{field}.weight must be a number greater than 0 and at most 100, got {term.Weight}.");
            }

            var given = (term.Text is not null ? 1 : 0) + (term.ImageId is not null ? 1 : 0) + (term.UploadId is not null ? 1 : 0);
            if (given != 1)
            {
                throw RequestException.Invalid($"{field} must have exactly one of text, imageId or uploadId.");
            }

            if (term.Text is { } text)
            {
                texts.Add((i, RequestRules.Text(text, field + (field.Contains('[', StringComparison.Ordinal) ? ".text" : ""))));
            }
            else if (term.ImageId is { } imageId)
            {
                var id = RequestRules.ImageId(imageId, field == "imageId" ? field : field + ".imageId");
                var point = await collection.GetAsync(id, withVector: true, cancellationToken).ConfigureAwait(false)
                    ?? throw RequestException.NotFound($"{field}: no image {id} in collection '{collection.Name}'.");
                vectors[i] = point.Vector!;
            }
            else
            {
                vectors[i] = uploads.Find(term.UploadId!) ?? throw RequestException.NotFound(
                    $"{field}.uploadId {RequestException.Quote(term.UploadId)} is unknown or has expired; upload the image again.");
            }
        }

        if (texts.Count > 0)
        {
            var encoded = encoder.EncodeTexts([.. texts.Select(t => t.Text)], cancellationToken);
            for (var j = 0; j < texts.Count; j++)
            {
                vectors[texts[j].Term] = encoded[j];
            }
        }

        if (terms.Count == 1)
        {
            return vectors[0];
        }

        var sum = new float[encoder.Text.Dimension];
        for (var i = 0; i < terms.Count; i++)
        {
            var unit = (float[])vectors[i].Clone();
            VectorMath.NormalizeInPlace(unit);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(unit, terms[i].Sign * terms[i].Term.Weight, sum, sum);
        }

        if (System.Numerics.Tensors.TensorPrimitives.Norm(sum) < 1e-6f)
        {
            throw RequestException.Invalid("the query's terms cancel each other out; change their weights.");
        }

        VectorMath.NormalizeInPlace(sum);
        return sum;
    }
}
