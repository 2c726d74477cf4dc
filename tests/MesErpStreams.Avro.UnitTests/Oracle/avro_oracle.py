#!/usr/bin/env python3
"""Apache Avro (python3-avro) as a reference oracle for the MesErpStreams.Avro tests.

Usage: avro_oracle.py COMMAND < cases.jsonl > results.jsonl, one JSON object per line each way.
  roundtrip: {"schema": text, "value": tagged, "ours": hex} ->
             {"ok": bool, "error": str, "canonical": str, "fingerprint": int, "theirs": hex}
             ok: Apache Avro decodes our bytes to the expected value; theirs: Apache Avro's encoding of it.
  canonical: {"schema": text} -> {"canonical": str, "fingerprint": int} or {"error": str}
  compat:    {"reader": text, "writer": text} -> {"compatible": bool} or {"error": str}
  resolve:   {"writer": text, "reader": text, "data": hex} -> {"theirs": hex}: Apache Avro reads the writer's data
             as the reader schema (schema resolution) and encodes the result with the reader schema.

Tagged values (schema-directed): unions are [branch_index, value]; bytes and fixed are hex strings; decimals are
{"unscaled": "<integer>"}; floats may be "NaN", "Infinity", "-Infinity"; date, time and timestamp logical types are
integers in their encoded units.
"""
import datetime
import decimal
import io
import json
import math
import sys
import warnings

import avro.io
import avro.schema

warnings.simplefilter("ignore")

EMPTY = 0xC15D213AA4D7A795
TABLE = []
for i in range(256):
    fp = i
    for _ in range(8):
        fp = (fp >> 1) ^ (EMPTY & -(fp & 1))
    TABLE.append(fp)


def rabin(data: bytes) -> int:
    """CRC-64-AVRO as the specification defines it, returned as a signed 64-bit integer."""
    fp = EMPTY
    for b in data:
        fp = (fp >> 8) ^ TABLE[(fp ^ b) & 0xFF]
    return fp - (1 << 64) if fp >= (1 << 63) else fp


UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)


def logical(schema):
    return getattr(schema, "logical_type", None)


def from_tagged(schema, v):
    t = schema.type
    lt = logical(schema)
    if t == "union":
        index, inner = v
        return from_tagged(schema.schemas[index], inner)
    if lt == "decimal":
        with decimal.localcontext() as ctx:
            ctx.prec = 1000
            return decimal.Decimal(int(v["unscaled"])).scaleb(-schema.get_prop("scale") if schema.get_prop("scale") else 0)
    if t == "record" or t == "error":
        return {f.name: from_tagged(f.type, v[f.name]) for f in schema.fields}
    if t == "array":
        return [from_tagged(schema.items, x) for x in v]
    if t == "map":
        return {k: from_tagged(schema.values, x) for k, x in v.items()}
    if t in ("bytes", "fixed"):
        return bytes.fromhex(v)
    if t in ("float", "double"):
        return float(v)
    if lt == "date":
        return datetime.date(1970, 1, 1) + datetime.timedelta(days=v)
    if lt == "time-millis":
        return (datetime.datetime(2000, 1, 1) + datetime.timedelta(milliseconds=v)).time()
    if lt == "time-micros":
        return (datetime.datetime(2000, 1, 1) + datetime.timedelta(microseconds=v)).time()
    if lt == "timestamp-millis":
        return EPOCH + datetime.timedelta(milliseconds=v)
    if lt == "timestamp-micros":
        return EPOCH + datetime.timedelta(microseconds=v)
    return v


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is not type(b) and not (isinstance(a, int) and isinstance(b, int)):
        return False
    return a == b


def describe(v):
    try:
        return repr(v)[:500]
    except Exception:  # pragma: no cover - diagnostics only
        return "<unprintable>"


PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def spec_canonical(schema):
    """Apache Avro's canonical form with two known python3-avro 1.11 deviations from the specification undone
    (everything else - name resolution, stripping, ordering - is python3-avro's own):
    1. it writes a primitive that carries a logical type as {"type":"int"}; [PRIMITIVES] (and the Java
       implementation) require the simple form "int";
    2. FixedSchema.to_canonical_json never records the name as defined (and a top-level union starts a fresh
       name table per branch), so a fixed used twice is written out twice; a named type is defined once and
       referenced by its full name afterwards."""
    seen = set()

    def fix(node):
        if isinstance(node, dict):
            if set(node.keys()) == {"type"} and node["type"] in PRIMITIVES:
                return node["type"]
            if node.get("type") in ("record", "enum", "fixed") and "name" in node:
                if node["name"] in seen:
                    return node["name"]
                seen.add(node["name"])
            return {k: fix(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    return json.dumps(fix(json.loads(schema.canonical_form)), separators=(",", ":"))


def roundtrip(case):
    schema = avro.schema.parse(case["schema"])
    canonical = spec_canonical(schema)
    result = {"canonical": canonical, "fingerprint": rabin(canonical.encode("utf-8"))}
    expected = from_tagged(schema, case["value"])
    ours = bytes.fromhex(case["ours"])
    decoder = avro.io.BinaryDecoder(io.BytesIO(ours))
    actual = avro.io.DatumReader(schema, schema).read(decoder)
    ok = same(actual, expected)
    result["ok"] = ok
    if not ok:
        result["error"] = f"Apache Avro decoded our bytes to {describe(actual)}, expected {describe(expected)}"
    out = io.BytesIO()
    avro.io.DatumWriter(schema).write(expected, avro.io.BinaryEncoder(out))
    result["theirs"] = out.getvalue().hex()
    return result


def canonical(case):
    schema = avro.schema.parse(case["schema"])
    form = spec_canonical(schema)
    return {"canonical": form, "fingerprint": rabin(form.encode("utf-8"))}


def compat(case):
    from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

    reader = avro.schema.parse(case["reader"])
    writer = avro.schema.parse(case["writer"])
    result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
    return {"compatible": result.compatibility is SchemaCompatibilityType.compatible,
            "messages": sorted(str(m) for m in result.messages)}


def resolve(case):
    writer = avro.schema.parse(case["writer"])
    reader = avro.schema.parse(case["reader"])
    decoder = avro.io.BinaryDecoder(io.BytesIO(bytes.fromhex(case["data"])))
    datum = avro.io.DatumReader(writer, reader).read(decoder)
    out = io.BytesIO()
    avro.io.DatumWriter(reader).write(datum, avro.io.BinaryEncoder(out))
    return {"theirs": out.getvalue().hex()}


COMMANDS = {"roundtrip": roundtrip, "canonical": canonical, "compat": compat, "resolve": resolve}


def main():
    command = COMMANDS[sys.argv[1]]
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            result = command(json.loads(line))
        except Exception as ex:  # report per case, keep going
            result = {"error": f"{type(ex).__name__}: {ex}"}
        sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
