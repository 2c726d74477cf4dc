"""Decode one Confluent wire-format Avro message with Apache Avro's own Python library (the reference).

usage: decode_confluent.py SCHEMA_FILE PAYLOAD_FILE
Checks magic byte and schema id header, decodes the body with the writer schema, prints the record as JSON
(decimals and uuids as strings, timestamps as epoch milliseconds) and the schema id on stderr.
"""
import datetime
import decimal
import io
import json
import struct
import sys
import uuid

import avro.io
import avro.schema


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime):
        return int(round(value.timestamp() * 1000))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def main():
    schema = avro.schema.parse(open(sys.argv[1]).read())
    payload = open(sys.argv[2], "rb").read()
    if len(payload) < 5 or payload[0] != 0:
        sys.exit("not Confluent wire format")
    schema_id = struct.unpack(">i", payload[1:5])[0]
    body = io.BytesIO(payload[5:])
    record = avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(body))
    if body.tell() != len(payload) - 5:
        sys.exit("trailing bytes after the record: %d of %d read" % (body.tell(), len(payload) - 5))
    print(json.dumps({"schemaId": schema_id, "record": plain(record)}, sort_keys=True))


if __name__ == "__main__":
    main()
