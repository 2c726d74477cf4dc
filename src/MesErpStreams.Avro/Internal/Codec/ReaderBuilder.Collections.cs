using System.Reflection;

namespace MesErpStreams.Avro.Internal.Codec;

internal sealed partial class ReaderBuilder
{
    private object BuildArray(ArraySchema w, ArraySchema r, Type t, string where)
    {
        Type item;
        bool toArray;
        if (t == typeof(object))
        {
            item = typeof(object);
            toArray = false;
        }
        else if (t.IsArray && t.GetArrayRank() == 1)
        {
            item = t.GetElementType()!;
            toArray = true;
        }
        else if (t.IsGenericType && t.GetGenericArguments().Length == 1
                 && t.GetGenericTypeDefinition() is var def
                 && (def == typeof(List<>) || def == typeof(IReadOnlyList<>) || def == typeof(IList<>) || def == typeof(ICollection<>)
                     || def == typeof(IEnumerable<>) || def == typeof(IReadOnlyCollection<>)))
        {
            item = t.GetGenericArguments()[0];
            toArray = false;
        }
        else
        {
            throw Mismatch(r, t, where);
        }

        var items = Build(w.Items, r.Items, item, where + "[]");
        var method = typeof(ReaderBuilder).GetMethod(nameof(MakeArrayReader), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(item, t);
        return method.Invoke(null, [items, w.Items.MinEncodedSize, toArray])!;
    }

    private static ArrayReader<TItem, TCollection> MakeArrayReader<TItem, TCollection>(ValueReader<TItem> items, int minSize, bool toArray) =>
        toArray
            ? new ArrayReader<TItem, TCollection>(items, minSize, static l => (TCollection)(object)l.ToArray())
            : new ArrayReader<TItem, TCollection>(items, minSize, static l => (TCollection)(object)l);

    private object BuildMap(MapSchema w, MapSchema r, Type t, string where)
    {
        Type value;
        if (t == typeof(object))
        {
            value = typeof(object);
        }
        else if (t.IsGenericType && t.GetGenericArguments() is [var key, var v] && key == typeof(string)
                 && t.GetGenericTypeDefinition() is var def
                 && (def == typeof(Dictionary<,>) || def == typeof(IReadOnlyDictionary<,>) || def == typeof(IDictionary<,>)))
        {
            value = v;
        }
        else
        {
            throw Mismatch(r, t, where);
        }

        var values = Build(w.Values, r.Values, value, where + "{}");
        var method = typeof(ReaderBuilder).GetMethod(nameof(MakeMapReader), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(value, t);
        return method.Invoke(null, [values, w.Values.MinEncodedSize])!;
    }

    private static MapReader<TValue, TMap> MakeMapReader<TValue, TMap>(ValueReader<TValue> values, int minSize) =>
        new(values, minSize, static m => (TMap)(object)m);

    /// <summary>For each reader field, the writer field that supplies it (by name, then by the reader field's aliases).</summary>
    internal static Dictionary<RecordField, RecordField> MatchFields(RecordSchema w, RecordSchema r)
    {
        var result = new Dictionary<RecordField, RecordField>();
        foreach (var rf in r.Fields)
        {
            var wf = w.GetField(rf.Name);
            if (wf is null)
            {
                foreach (var alias in rf.Aliases)
                {
                    wf = w.GetField(alias);
                    if (wf is not null)
                    {
                        break;
                    }
                }
            }

            if (wf is not null)
            {
                result[wf] = rf;
            }
        }

        return result;
    }

    private object BuildRecord(RecordSchema w, RecordSchema r, Type t, string where)
    {
        if (records.TryGetValue((w, r, t), out var existing))
        {
            return existing;
        }

        var writerToReader = MatchFields(w, r);
        var supplied = new HashSet<RecordField>(writerToReader.Values);
        foreach (var rf in r.Fields)
        {
            if (!supplied.Contains(rf) && !rf.HasDefault)
            {
                throw new AvroResolutionException($"Reader field '{rf.Name}' of '{r.FullName}' has no default and is missing from the writer schema");
            }
        }

        if (t == typeof(object))
        {
            var generic = new GenericRecordReader(r);
            records[(w, r, t)] = generic;
            var steps = w.Fields.Select(wf => writerToReader.TryGetValue(wf, out var rf)
                ? new GenericRecordReader.Step(rf.Position, (ValueReader<object?>)Build(wf.Schema, rf.Schema, typeof(object), $"{r.Name}.{rf.Name}"), wf.Schema)
                : new GenericRecordReader.Step(-1, null, wf.Schema)).ToArray();
            var defaults = r.Fields.Where(rf => !supplied.Contains(rf))
                .Select(rf => new GenericRecordReader.Default(rf.Position, DefaultValueEncoder.Encode(rf.Schema, rf.DefaultJson!),
                    (ValueReader<object?>)Build(rf.Schema, rf.Schema, typeof(object), $"{r.Name}.{rf.Name}")))
                .ToArray();
            generic.Initialize(steps, defaults);
            return generic;
        }

        var deferred = Activator.CreateInstance(typeof(DeferredReader<>).MakeGenericType(t))!;
        records[(w, r, t)] = deferred;
        RecordReaderCompiler.Compile(this, w, r, t, writerToReader, deferred);
        return deferred;
    }
}

/// <summary>Decodes a record into a <see cref="GenericRecord"/> following the resolved field steps.</summary>
internal sealed class GenericRecordReader(RecordSchema schema) : ValueReader<object?>
{
    private Step[] steps = [];
    private Default[] defaults = [];

    public void Initialize(Step[] fieldSteps, Default[] fieldDefaults)
    {
        steps = fieldSteps;
        defaults = fieldDefaults;
    }

    public override object? Read(ref AvroReader r)
    {
        r.Enter();
        var record = new GenericRecord(schema);
        foreach (var step in steps)
        {
            if (step.Reader is null)
            {
                Skipper.Skip(ref r, step.WriterSchema);
            }
            else
            {
                record[step.Position] = step.Reader.Read(ref r);
            }
        }

        foreach (var d in defaults)
        {
            var dr = new AvroReader(d.Bytes);
            record[d.Position] = d.Reader.Read(ref dr);
        }

        r.Exit();
        return record;
    }

    internal readonly record struct Step(int Position, ValueReader<object?>? Reader, Schema WriterSchema);

    internal readonly record struct Default(int Position, byte[] Bytes, ValueReader<object?> Reader);
}
