using System.Globalization;
using System.Text;

namespace ClipSearch.Core.Index;

/// <summary>
/// The text form of <see cref="PointFilter"/> used on the command line and in the API's query string:
/// <code>
/// folder:/photos/2020        folder:"/photos/my trip"     (the folder and everything below it)
/// format:jpeg,png
/// width&gt;=1024  height&lt;600  size&lt;=5000000       (operators &gt;= &lt;= &gt; &lt; =)
/// taken&gt;=2020-01-01  modified&lt;2024-05-01T12:00:00Z  (dates in ISO 8601; no zone means UTC)
/// label:animals=cat,dog    label:animals=cat&gt;=0.3        (label set = labels [minimum score])
/// not X      X and Y      X or Y      ( ... )            (not binds tightest, then and, then or)
/// </code>
/// </summary>
public static class FilterExpression
{
    /// <summary>
    /// Parses an expression. Throws <see cref="FormatException"/> naming the problem and where it is.
    /// <paramref name="resolveFolder"/> turns the folder of each <c>folder:</c> condition into the absolute folder
    /// it means (the command line resolves a relative one against the working folder, as indexing does); without
    /// it, folders must be absolute.
    /// </summary>
    public static PointFilter Parse(string text, Func<string, string>? resolveFolder = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Tokenize(text);
        if (tokens.Count == 0)
        {
            throw new FormatException("the filter is empty");
        }

        var position = 0;
        var filter = ParseOr(tokens, ref position);
        if (position < tokens.Count)
        {
            throw new FormatException($"unexpected '{tokens[position]}' in the filter; join conditions with 'and' or 'or'");
        }

        if (resolveFolder is not null)
        {
            filter = WithFolders(filter, resolveFolder);
        }

        try
        {
            filter.Validate();
        }
        catch (VectorStoreException e)
        {
            throw new FormatException(e.Message, e);
        }

        return filter;
    }

    private static PointFilter WithFolders(PointFilter filter, Func<string, string> resolve) => filter switch
    {
        FolderFilter f => new FolderFilter(resolve(f.Folder)),
        AndFilter a => new AndFilter([.. a.Filters.Select(p => WithFolders(p, resolve))]),
        OrFilter o => new OrFilter([.. o.Filters.Select(p => WithFolders(p, resolve))]),
        NotFilter n => new NotFilter(WithFolders(n.Filter, resolve)),
        _ => filter,
    };

    private static PointFilter ParseOr(List<string> tokens, ref int position)
    {
        var parts = new List<PointFilter> { ParseAnd(tokens, ref position) };
        while (position < tokens.Count && Is(tokens[position], "or"))
        {
            position++;
            parts.Add(ParseAnd(tokens, ref position));
        }

        return parts.Count == 1 ? parts[0] : new OrFilter(parts);
    }

    private static PointFilter ParseAnd(List<string> tokens, ref int position)
    {
        var parts = new List<PointFilter> { ParseUnary(tokens, ref position) };
        while (position < tokens.Count && Is(tokens[position], "and"))
        {
            position++;
            parts.Add(ParseUnary(tokens, ref position));
        }

        return parts.Count == 1 ? parts[0] : new AndFilter(parts);
    }

    private static PointFilter ParseUnary(List<string> tokens, ref int position)
    {
        if (position >= tokens.Count)
        {
            throw new FormatException("the filter ends where a condition was expected");
        }

        var token = tokens[position++];
        if (Is(token, "not"))
        {
            return new NotFilter(ParseUnary(tokens, ref position));
        }

        if (token == "(")
        {
            var inner = ParseOr(tokens, ref position);
            if (position >= tokens.Count || tokens[position] != ")")
            {
                throw new FormatException("a '(' in the filter is not closed");
            }

            position++;
            return inner;
        }

        return token == ")" ? throw new FormatException("unexpected ')' in the filter") : ParseCondition(token);
    }

    private static PointFilter ParseCondition(string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        var op = OperatorAt(token, out var opIndex);
        if (colon > 0 && (op is null || colon < opIndex))
        {
            var key = token[..colon].ToLowerInvariant();
            var value = token[(colon + 1)..];
            if (value.Length == 0)
            {
                throw new FormatException($"'{token}' has no value");
            }

            return key switch
            {
                "folder" => new FolderFilter(value),
                "format" => new FormatFilter([.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.ToLowerInvariant())
                    .Select(f => f == "jpg" ? "jpeg" : f == "tif" ? "tiff" : f)]),
                "label" => ParseLabel(token, value),
                _ => throw new FormatException($"unknown filter '{key}:' (use folder:, format: or label:)"),
            };
        }

        if (op is null)
        {
            throw new FormatException($"'{token}' is not a condition (e.g. folder:/photos, format:jpeg, width>=1000, taken>=2020-01-01, label:set=name)");
        }

        var field = token[..opIndex].ToLowerInvariant();
        var text = token[(opIndex + op.Length)..];
        switch (field)
        {
            case "width" or "height" or "size":
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                {
                    throw new FormatException($"'{token}': '{text}' is not a whole number");
                }

                var numeric = field switch { "width" => NumericField.Width, "height" => NumericField.Height, _ => NumericField.SizeBytes };
                return op switch
                {
                    ">=" => new RangeFilter(numeric, n, null),
                    ">" => new RangeFilter(numeric, n + 1, null),
                    "<=" => new RangeFilter(numeric, null, n),
                    "<" => new RangeFilter(numeric, null, n - 1),
                    _ => new RangeFilter(numeric, n, n),
                };
            case "taken" or "modified":
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
                {
                    throw new FormatException($"'{token}': '{text}' is not an ISO 8601 date (e.g. 2020-01-31 or 2020-01-31T08:00:00Z)");
                }

                var date = field == "taken" ? DateField.TakenAt : DateField.ModifiedAt;
                var tick = TimeSpan.FromTicks(1);
                return op switch
                {
                    ">=" => new DateRangeFilter(date, d, null),
                    ">" => new DateRangeFilter(date, d + tick, null),
                    "<=" => new DateRangeFilter(date, null, d),
                    "<" => new DateRangeFilter(date, null, d - tick),
                    _ => new DateRangeFilter(date, d, d),
                };
            default:
                throw new FormatException($"unknown field '{field}' (use width, height, size, taken or modified)");
        }
    }

    private static LabelFilter ParseLabel(string token, string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == value.Length - 1)
        {
            throw new FormatException($"'{token}': write label:SET=LABEL[,LABEL][>=SCORE]");
        }

        var set = value[..eq];
        var rest = value[(eq + 1)..];
        float? min = null;
        var ge = rest.IndexOf(">=", StringComparison.Ordinal);
        if (ge >= 0)
        {
            var scoreText = rest[(ge + 2)..];
            // float.TryParse takes NaN, Infinity and overflows to infinity: none of them is a usable minimum.
            if (!float.TryParse(scoreText, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !float.IsFinite(score))
            {
                throw new FormatException($"'{token}': '{scoreText}' is not a score (a finite number, e.g. 0.3)");
            }

            min = score;
            rest = rest[..ge];
        }

        var labels = rest.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new LabelFilter(set, labels, min);
    }

    private static string? OperatorAt(string token, out int index)
    {
        for (var i = 1; i < token.Length; i++)
        {
            if (token[i] is '<' or '>' or '=')
            {
                index = i;
                return i + 1 < token.Length && token[i + 1] == '=' && token[i] != '=' ? token.Substring(i, 2) : token[i].ToString();
            }
        }

        index = -1;
        return null;
    }

    private static bool Is(string token, string keyword) => string.Equals(token, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Words, parentheses and quoted parts ("..." may hold spaces; \" and \\ escape).</summary>
    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < text.Length)
                {
                    current.Append(text[++i]);
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }

                continue;
            }

            if (c == '"')
            {
                quoted = true;
            }
            else if (char.IsWhiteSpace(c) || c is '(' or ')')
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }

                if (c is '(' or ')')
                {
                    tokens.Add(c.ToString());
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            throw new FormatException("a '\"' in the filter is not closed");
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }
}
