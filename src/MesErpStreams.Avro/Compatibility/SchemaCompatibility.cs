using MesErpStreams.Avro.Internal;
using MesErpStreams.Avro.Internal.Codec;

namespace MesErpStreams.Avro.Compatibility;

/// <summary>
/// Whether a reader schema can read data written with a writer schema (the specification's resolution rules, checked
/// statically), and the registry compatibility levels built on it.
/// </summary>
public static class SchemaCompatibility
{
    /// <summary>Checks that <paramref name="reader"/> can read everything <paramref name="writer"/> can write.</summary>
    /// <param name="reader">The reader schema.</param>
    /// <param name="writer">The writer schema.</param>
    /// <returns>The verdict with one message per incompatibility.</returns>
    public static CompatibilityResult CanRead(Schema reader, Schema writer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        var messages = new List<string>();
        new Checker(messages).Check(reader, writer, string.Empty);
        return messages.Count == 0 ? CompatibilityResult.Compatible : new CompatibilityResult(messages);
    }

    /// <summary>Checks a candidate schema against the existing versions of a subject at a compatibility level.</summary>
    /// <param name="candidate">The proposed new schema.</param>
    /// <param name="existingOldestFirst">The registered versions, oldest first (the last one is the latest).</param>
    /// <param name="level">The level to enforce.</param>
    /// <returns>The verdict; messages say which existing version and which direction broke.</returns>
    public static CompatibilityResult Check(Schema candidate, IReadOnlyList<Schema> existingOldestFirst, CompatibilityLevel level)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(existingOldestFirst);
        if (level == CompatibilityLevel.None || existingOldestFirst.Count == 0)
        {
            return CompatibilityResult.Compatible;
        }

        var transitive = level is CompatibilityLevel.BackwardTransitive or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.FullTransitive;
        var backward = level is CompatibilityLevel.Backward or CompatibilityLevel.BackwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;
        var forward = level is CompatibilityLevel.Forward or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;
        var messages = new List<string>();
        var latest = existingOldestFirst.Count - 1;
        for (var i = transitive ? 0 : latest; i <= latest; i++)
        {
            var existing = existingOldestFirst[i];
            var which = i == latest ? $"the latest schema (version {i + 1} of {existingOldestFirst.Count})" : $"schema version {i + 1} of {existingOldestFirst.Count}";
            if (backward)
            {
                foreach (var m in CanRead(candidate, existing).Messages)
                {
                    messages.Add($"BACKWARD: the new schema cannot read data written with {which}: {m}");
                }
            }

            if (forward)
            {
                foreach (var m in CanRead(existing, candidate).Messages)
                {
                    messages.Add($"FORWARD: {which} cannot read data written with the new schema: {m}");
                }
            }
        }

        return messages.Count == 0 ? CompatibilityResult.Compatible : new CompatibilityResult(messages);
    }

    private sealed class Checker(List<string> messages)
    {
        private readonly HashSet<(Schema Reader, Schema Writer)> visiting = [];

        private static string At(string path) => path.Length == 0 ? "/" : path;

        public bool Check(Schema reader, Schema writer, string path)
        {
            if (!visiting.Add((reader, writer)))
            {
                return true; // recursion in progress: assume compatible, the enclosing check decides
            }

            try
            {
                return CheckCore(reader, writer, path);
            }
            finally
            {
                visiting.Remove((reader, writer));
            }
        }

        private bool Fail(string message)
        {
            messages.Add(message);
            return false;
        }

        private bool CheckCore(Schema reader, Schema writer, string path)
        {
            if (writer is UnionSchema wu)
            {
                var ok = true;
                for (var i = 0; i < wu.Branches.Count; i++)
                {
                    var branch = wu.Branches[i];
                    if (reader is UnionSchema ru && !Quiet(ru, branch))
                    {
                        ok = Fail($"reader union at {At(path)} has no branch for writer union branch {i} ({SchemaInfo.Describe(branch)})");
                    }
                    else if (reader is not UnionSchema)
                    {
                        ok &= Check(reader, branch, path);
                    }
                }

                return ok;
            }

            if (reader is UnionSchema readerUnion)
            {
                return Quiet(readerUnion, writer)
                    || Fail($"reader union at {At(path)} has no branch that can read writer type {SchemaInfo.Describe(writer)}");
            }

            if (reader.Type != writer.Type)
            {
                return ReaderBuilder.IsPromotion(writer.Type, reader.Type)
                    || Fail($"type mismatch at {At(path)}: reader type {SchemaInfo.Describe(reader)} cannot read writer type {SchemaInfo.Describe(writer)}");
            }

            switch (reader)
            {
                case ArraySchema ra:
                    return Check(ra.Items, ((ArraySchema)writer).Items, path + "/items");
                case MapSchema rm:
                    return Check(rm.Values, ((MapSchema)writer).Values, path + "/values");
                case FixedSchema rf:
                    var wf = (FixedSchema)writer;
                    var fixedOk = CheckName(rf, wf, path);
                    return (rf.Size == wf.Size || Fail($"fixed size mismatch at {At(path)}/size: reader '{rf.FullName}' has {rf.Size} bytes, writer has {wf.Size}")) && fixedOk;
                case EnumSchema re:
                    var we = (EnumSchema)writer;
                    var enumOk = CheckName(re, we, path);
                    var missing = we.Symbols.Where(s => re.IndexOf(s) < 0).ToList();
                    if (missing.Count > 0 && re.Default is null)
                    {
                        return Fail($"reader enum '{re.FullName}' at {At(path)}/symbols lacks writer symbol(s) {string.Join(", ", missing.Select(s => $"'{s}'"))} and has no default symbol");
                    }

                    return enumOk;
                case RecordSchema rr:
                    return CheckRecord(rr, (RecordSchema)writer, path);
                default:
                    return true;
            }
        }

        private bool Quiet(UnionSchema reader, Schema writer)
        {
            foreach (var branch in reader.Branches)
            {
                var probe = new Checker([]);
                foreach (var v in visiting)
                {
                    probe.visiting.Add(v);
                }

                if (probe.Check(branch, writer, string.Empty))
                {
                    return true;
                }
            }

            return false;
        }

        private bool CheckName(NamedSchema reader, NamedSchema writer, string path) =>
            ReaderBuilder.NamesMatch(writer, reader)
            || Fail($"name mismatch at {At(path)}/name: reader {SchemaInfo.Describe(reader)} does not match writer '{writer.FullName}' (and no alias does)");

        private bool CheckRecord(RecordSchema reader, RecordSchema writer, string path)
        {
            var ok = CheckName(reader, writer, path);
            var matches = ReaderBuilder.MatchFields(writer, reader).ToDictionary(kv => kv.Value, kv => kv.Key);
            foreach (var rf in reader.Fields)
            {
                var fieldPath = $"{path}/fields/{rf.Position}";
                if (matches.TryGetValue(rf, out var wf))
                {
                    var before = messages.Count;
                    if (!Check(rf.Schema, wf.Schema, fieldPath + "/type"))
                    {
                        ok = false;
                        for (var i = before; i < messages.Count; i++)
                        {
                            messages[i] = $"field '{rf.Name}' of '{reader.FullName}': {messages[i]}";
                        }
                    }
                }
                else if (!rf.HasDefault)
                {
                    ok = Fail($"reader field '{rf.Name}' at {fieldPath} of '{reader.FullName}' has no default and is missing from the writer");
                }
            }

            return ok;
        }
    }
}
