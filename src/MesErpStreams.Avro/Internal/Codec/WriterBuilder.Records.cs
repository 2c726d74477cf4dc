using System.Linq.Expressions;
using System.Reflection;

namespace MesErpStreams.Avro.Internal.Codec;

internal sealed partial class WriterBuilder
{
    private static readonly MethodInfo WriteRawMethod = typeof(WriterBuilder).GetMethod(nameof(WriteRaw), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo EnterMethod = typeof(AvroWriter).GetMethod(nameof(AvroWriter.Enter))!;
    private static readonly MethodInfo ExitMethod = typeof(AvroWriter).GetMethod(nameof(AvroWriter.Exit))!;
    private static readonly MethodInfo NullRecordMethod = typeof(WriterBuilder).GetMethod(nameof(NullRecord), BindingFlags.NonPublic | BindingFlags.Static)!;

    private object BuildArray(ArraySchema a, Type t, string where)
    {
        var enumerable = FindGeneric(t, typeof(IEnumerable<>)) ?? throw Mismatch(a, t, where);
        var item = enumerable.GetGenericArguments()[0];
        var itemWriter = Build(a.Items, item, where + "[]");
        var list = Activator.CreateInstance(typeof(ListWriter<>).MakeGenericType(item), itemWriter)!;
        if (FindGeneric(t, typeof(IReadOnlyList<>)) is not null)
        {
            return Generic(nameof(Upcast), [t, typeof(IReadOnlyList<>).MakeGenericType(item)], list);
        }

        var any = Activator.CreateInstance(typeof(EnumerableWriter<>).MakeGenericType(item), list)!;
        return Generic(nameof(Upcast), [t, enumerable], any);
    }

    private object BuildMap(MapSchema m, Type t, string where)
    {
        var enumerable = FindGeneric(t, typeof(IEnumerable<>));
        var pair = enumerable?.GetGenericArguments()[0];
        if (pair is null || !pair.IsGenericType || pair.GetGenericTypeDefinition() != typeof(KeyValuePair<,>) || pair.GetGenericArguments()[0] != typeof(string))
        {
            throw Mismatch(m, t, where);
        }

        var value = pair.GetGenericArguments()[1];
        var valueWriter = Build(m.Values, value, where + "{}");
        var writer = Activator.CreateInstance(typeof(MapWriter<>).MakeGenericType(value), valueWriter)!;
        return Generic(nameof(Upcast), [t, enumerable!], writer);
    }

    private static Type? FindGeneric(Type t, Type definition)
    {
        if (t.IsGenericType && t.GetGenericTypeDefinition() == definition)
        {
            return t;
        }

        return t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
    }

    private static ValueWriter<TDerived> Upcast<TDerived, TBase>(ValueWriter<TBase> inner)
        where TDerived : TBase => new ConvertingWriter<TDerived, TBase>(inner, static v => v);

    private object BuildRecord(RecordSchema r, Type t, string where)
    {
        if (records.TryGetValue((r, t), out var existing))
        {
            return existing;
        }

        var deferred = Activator.CreateInstance(typeof(DeferredWriter<>).MakeGenericType(t))!;
        records[(r, t)] = deferred;
        var binding = TypeBinding.Create(t, r);
        var wParam = Expression.Parameter(typeof(AvroWriter).MakeByRefType(), "w");
        var value = Expression.Parameter(t, "value");
        var body = new List<Expression>();
        if (!t.IsValueType)
        {
            body.Add(Expression.IfThen(Expression.ReferenceEqual(value, Expression.Constant(null, t)),
                Expression.Call(NullRecordMethod, Expression.Constant($"{where}: null for record '{r.FullName}'"))));
        }

        body.Add(Expression.Call(wParam, EnterMethod));
        foreach (var field in r.Fields)
        {
            if (binding.Members.TryGetValue(field, out var property))
            {
                var fieldWhere = ReaderBuilder.Where(t, property.Name) + $" (field '{field.Name}')";
                var node = Build(field.Schema, property.PropertyType, fieldWhere);
                var writerType = typeof(ValueWriter<>).MakeGenericType(property.PropertyType);
                body.Add(Expression.Call(Expression.Constant(node, writerType), writerType.GetMethod(nameof(ValueWriter<object>.Write))!,
                    wParam, Expression.Property(value, property)));
            }
            else if (field.DefaultJson is not null)
            {
                body.Add(Expression.Call(WriteRawMethod, wParam, Expression.Constant(DefaultValueEncoder.Encode(field.Schema, field.DefaultJson))));
            }
            else
            {
                throw new AvroBindingException($"{t.Name}: no property for field '{field.Name}' of record '{r.FullName}', which has no default");
            }
        }

        body.Add(Expression.Call(wParam, ExitMethod));
        var lambdaType = typeof(DeferredWriter<>.WriteFn).MakeGenericType(t);
        var lambda = Expression.Lambda(lambdaType, Expression.Block(body), $"Write_{r.Name}", [wParam, value]);
        deferred.GetType().GetProperty(nameof(DeferredWriter<object>.Fn))!.SetValue(deferred, lambda.Compile());
        return deferred;
    }

    private static void WriteRaw(ref AvroWriter w, byte[] bytes) => w.WriteFixed(bytes);

    private static void NullRecord(string message) => throw new AvroEncodeException(message);
}
