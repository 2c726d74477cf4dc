using MesErpStreams.Avro;

namespace MesErpStreams.Contracts.Internal;

/// <summary>Finds named types defined differently in different schema files.</summary>
internal static class SharedTypeChecker
{
    public static IReadOnlyList<string> FindConflicts(IEnumerable<KeyValuePair<string, Schema>> schemas)
    {
        // full name -> (canonical form -> first label defining it that way)
        var definitions = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (label, schema) in schemas)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            Collect(schema, label, seen, definitions);
        }

        var messages = new List<string>();
        foreach (var (fullName, forms) in definitions.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (forms.Count > 1)
            {
                messages.Add($"named type '{fullName}' has {forms.Count} different definitions: "
                    + string.Join("; ", forms.Values.Select(v => "as in " + v)));
            }
        }

        return messages;
    }

    private static void Collect(Schema schema, string label, HashSet<string> seen, Dictionary<string, Dictionary<string, string>> definitions)
    {
        switch (schema)
        {
            case NamedSchema named:
                if (!seen.Add(named.FullName))
                {
                    return;
                }

                if (!definitions.TryGetValue(named.FullName, out var forms))
                {
                    definitions[named.FullName] = forms = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                // Full JSON, not just the canonical form: docs and defaults (which drive schema resolution) must agree too.
                forms.TryAdd(named.ToJson(), label);
                if (named is RecordSchema record)
                {
                    foreach (var field in record.Fields)
                    {
                        Collect(field.Schema, label, seen, definitions);
                    }
                }

                break;
            case ArraySchema array:
                Collect(array.Items, label, seen, definitions);
                break;
            case MapSchema map:
                Collect(map.Values, label, seen, definitions);
                break;
            case UnionSchema union:
                foreach (var branch in union.Branches)
                {
                    Collect(branch, label, seen, definitions);
                }

                break;
        }
    }
}
