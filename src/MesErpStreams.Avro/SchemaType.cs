namespace MesErpStreams.Avro;

/// <summary>The Avro schema types (primitive and complex).</summary>
public enum SchemaType
{
    /// <summary>No value.</summary>
    Null,
    /// <summary>A binary value.</summary>
    Boolean,
    /// <summary>32-bit signed integer.</summary>
    Int,
    /// <summary>64-bit signed integer.</summary>
    Long,
    /// <summary>IEEE 754 single precision.</summary>
    Float,
    /// <summary>IEEE 754 double precision.</summary>
    Double,
    /// <summary>Sequence of 8-bit bytes.</summary>
    Bytes,
    /// <summary>Unicode character sequence.</summary>
    String,
    /// <summary>Named record with fields.</summary>
    Record,
    /// <summary>Named enumeration of symbols.</summary>
    Enum,
    /// <summary>Array of items.</summary>
    Array,
    /// <summary>Map from string keys to values.</summary>
    Map,
    /// <summary>Union of schemas.</summary>
    Union,
    /// <summary>Named fixed-size byte sequence.</summary>
    Fixed,
}
