namespace MesErpStreams.Avro.Internal.Codec;

/// <summary>
/// Builds the decoder for a (writer schema, reader schema, .NET target type) triple, applying the specification's
/// resolution rules once, at build time. Target <see cref="object"/> yields the generic representation.
/// </summary>
internal sealed partial class ReaderBuilder
{
    private readonly Dictionary<(Schema Writer, Schema Reader, Type Target), object> records = [];

    public ValueReader<T> Build<T>(Schema writer, Schema reader) => (ValueReader<T>)Build(writer, reader, typeof(T), Where(typeof(T), null));

    internal static string Where(Type type, string? member) => member is null ? type.Name : $"{type.Name}.{member}";

    public object Build(Schema w, Schema r, Type t, string where)
    {
        if (t == typeof(GenericRecord) || t == typeof(GenericEnum) || t == typeof(GenericFixed))
        {
            // Generic values bound as their own type (e.g. AvroCodec<GenericRecord> for tools): read generically, then cast.
            var generic = (ValueReader<object?>)Build(w, r, typeof(object), where);
            return Activator.CreateInstance(typeof(ConvertingReader<,>).MakeGenericType(typeof(object), t), generic, CastFunction(t, where))!;
        }

        if (w is UnionSchema wu)
        {
            return BuildWriterUnion(wu, r, t, where);
        }

        if (r is UnionSchema ru)
        {
            return BuildReaderUnion(w, ru, t, where);
        }

        if (t != typeof(object) && Nullable.GetUnderlyingType(t) is { } underlying)
        {
            var inner = Build(w, r, underlying, where);
            return Activator.CreateInstance(typeof(NullableReader<>).MakeGenericType(underlying), inner)!;
        }

        if (w.Type == SchemaType.Null && r.Type == SchemaType.Null)
        {
            if (t.IsValueType && t != typeof(object))
            {
                throw new AvroBindingException($"{where}: schema null cannot bind non-nullable {t.Name}");
            }

            return Activator.CreateInstance(typeof(NullReader<>).MakeGenericType(t))!;
        }

        switch (r)
        {
            case RecordSchema rr when w is RecordSchema wr:
                RequireNames(wr, rr, where);
                return BuildRecord(wr, rr, t, where);
            case EnumSchema re when w is EnumSchema we:
                RequireNames(we, re, where);
                return BuildEnum(we, re, t, where);
            case FixedSchema rf when w is FixedSchema wf:
                RequireNames(wf, rf, where);
                if (wf.Size != rf.Size)
                {
                    throw new AvroResolutionException($"{where}: writer fixed '{wf.FullName}' has size {wf.Size} but reader size is {rf.Size}");
                }

                return BuildFixed(rf, t, where);
            case ArraySchema ra when w is ArraySchema wa:
                return BuildArray(wa, ra, t, where);
            case MapSchema rm when w is MapSchema wm:
                return BuildMap(wm, rm, t, where);
        }

        return BuildPrimitive(w, r, t, where);
    }

    internal static bool NamesMatch(NamedSchema w, NamedSchema r) =>
        w.Name == r.Name || w.FullName == r.FullName || r.Aliases.Contains(w.FullName);

    private static void RequireNames(NamedSchema w, NamedSchema r, string where)
    {
        if (!NamesMatch(w, r))
        {
            throw new AvroResolutionException($"{where}: writer {SchemaInfo.Describe(w)} does not match reader {SchemaInfo.Describe(r)} (names differ and no alias matches)");
        }
    }

    private object BuildWriterUnion(UnionSchema w, Schema r, Type t, string where)
    {
        var branches = Array.CreateInstance(typeof(ValueReader<>).MakeGenericType(t), w.Branches.Count);
        for (var i = 0; i < w.Branches.Count; i++)
        {
            object branch;
            try
            {
                branch = Build(w.Branches[i], r, t, where);
            }
            catch (AvroResolutionException ex)
            {
                branch = Activator.CreateInstance(typeof(FailingReader<>).MakeGenericType(t),
                    $"Writer union branch {i} ({SchemaInfo.Describe(w.Branches[i])}) cannot be read: {ex.Message}")!;
            }

            branches.SetValue(branch, i);
        }

        return Activator.CreateInstance(typeof(WriterUnionReader<>).MakeGenericType(t), branches)!;
    }

    /// <summary>The reader union branch that reads a (non-union) writer schema: exact match first, then promotion.</summary>
    internal static int FindBranch(Schema w, UnionSchema r)
    {
        for (var i = 0; i < r.Branches.Count; i++)
        {
            var b = r.Branches[i];
            if (b.Type == w.Type && (b is not NamedSchema nb || (w is NamedSchema nw && nb.FullName == nw.FullName)))
            {
                return i;
            }
        }

        for (var i = 0; i < r.Branches.Count; i++)
        {
            if (r.Branches[i] is NamedSchema nb && w is NamedSchema nw && nb.Type == nw.Type && NamesMatch(nw, nb))
            {
                return i;
            }
        }

        for (var i = 0; i < r.Branches.Count; i++)
        {
            if (IsPromotion(w.Type, r.Branches[i].Type))
            {
                return i;
            }
        }

        return -1;
    }

    internal static bool IsPromotion(SchemaType writer, SchemaType reader) => (writer, reader) switch
    {
        (SchemaType.Int, SchemaType.Long or SchemaType.Float or SchemaType.Double) => true,
        (SchemaType.Long, SchemaType.Float or SchemaType.Double) => true,
        (SchemaType.Float, SchemaType.Double) => true,
        (SchemaType.String, SchemaType.Bytes) => true,
        (SchemaType.Bytes, SchemaType.String) => true,
        _ => false,
    };

    private object BuildReaderUnion(Schema w, UnionSchema r, Type t, string where)
    {
        var index = FindBranch(w, r);
        if (index < 0)
        {
            throw new AvroResolutionException($"{where}: writer {SchemaInfo.Describe(w)} matches no branch of reader {SchemaInfo.Describe(r)}");
        }

        var branch = r.Branches[index];
        if (t == typeof(object))
        {
            return Build(w, branch, t, where);
        }

        var nonNull = r.Branches.Count(b => b.Type != SchemaType.Null);
        if (nonNull > 1)
        {
            throw new AvroBindingException($"{where}: union {SchemaInfo.Describe(r)} has several non-null branches; bind it to object (generic values)");
        }

        if (branch.Type == SchemaType.Null)
        {
            if (t.IsValueType && Nullable.GetUnderlyingType(t) is null)
            {
                throw new AvroBindingException($"{where}: {t.Name} cannot hold the null of union {SchemaInfo.Describe(r)}; use a nullable type");
            }

            return Activator.CreateInstance(typeof(NullReader<>).MakeGenericType(t))!;
        }

        if (r.NullIndex >= 0 && t.IsValueType && Nullable.GetUnderlyingType(t) is null)
        {
            throw new AvroBindingException($"{where}: {t.Name} cannot hold the null of union {SchemaInfo.Describe(r)}; use a nullable type");
        }

        return Build(w, branch, t, where);
    }

    private static Delegate CastFunction(Type t, string where) =>
        (Delegate)typeof(ReaderBuilder).GetMethod(nameof(Cast), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(t).Invoke(null, [where])!;

    private static Func<object?, T> Cast<T>(string where) =>
        v => v is T typed ? typed : throw new AvroBindingException($"{where}: the data holds {v?.GetType().Name ?? "null"}, not {typeof(T).Name}");

    private static ConvertingReader<T, object?> Box<T>(ValueReader<T> inner) => new ConvertingReader<T, object?>(inner, static v => v);
}
