// avsc (Avro for JavaScript) encode and decode rates for the records the .NET codec benchmark wrote, measured the same
// way (warm-up, then fixed wall time in batches of 1024 records). Called by MesErpStreams.Avro.Benchmarks:
//   node bench/avsc/bench.js SCHEMA.avsc RECORDS.bin SECONDS      (NODE_PATH must reach avsc's node_modules)
// RECORDS.bin: each record as a 4-byte big-endian length and its Avro binary encoding.
// Prints one JSON line: {"version","encode","decode","identical","records"}.
'use strict';
const fs = require('fs');
const avro = require('avsc');

const [schemaPath, recordsPath, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg || '1.5');
const type = avro.Type.forSchema(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
const data = fs.readFileSync(recordsPath);
const buffers = [];
for (let at = 0; at < data.length;) {
  const length = data.readUInt32BE(at);
  buffers.push(data.subarray(at + 4, at + 4 + length));
  at += 4 + length;
}

// Logical types are left to avsc's defaults (no type hooks): decimal as bytes, uuid as string, timestamp as long.
const values = buffers.map((b) => type.fromBuffer(b));
const identical = values.every((v, i) => type.toBuffer(v).equals(buffers[i]));

function measure(op) {
  const n = buffers.length;
  const warm = process.hrtime.bigint();
  for (let i = 0; Number(process.hrtime.bigint() - warm) / 1e9 < Math.min(0.5, seconds / 3); i++) op(i % n);
  let count = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < seconds) {
    for (let i = 0; i < 1024; i++) op(i % n);
    count += 1024;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return count / elapsed;
}

let sink = 0;
const encode = measure((i) => { sink += type.toBuffer(values[i]).length; });
const decode = measure((i) => { sink += type.fromBuffer(buffers[i]) === null ? 1 : 0; });
const version = require('avsc/package.json').version;
process.stdout.write(JSON.stringify({ version, encode, decode, identical, records: buffers.length, sink: sink > 0 }) + '\n');
