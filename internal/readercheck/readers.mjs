// The readers of check.mjs, each in a child process of its own: a reader that crashes on a file (hyparquet
// aborts the process on some malformed files, with a fatal "invalid size error" no try can catch) fails
// that file only, and a new process reads the next one.
//
// A reader's open(path) returns { rows, columns: [{name, type, dict}], root, kv, chunks, data: {name: array} }:
// types in the common names int32, int64, float32, float64, string, bool ('?X' for others); dict true for
// a dictionary column, undefined where the reader cannot tell; root the schema root's repetition
// (undefined where the reader does not show it); kv the file's key-value metadata (a Map) or null;
// chunks the column chunks as the footer describes them, [{column, encodings, nullCount, distinctCount,
// values}] (counts null where the statistics leave them out), or null where the reader does not show them.
// CSV_OPENERS read the CSV view the same way: { rows, columns: [{name, type}], data }.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;
const text = (blob) => Buffer.from(blob.bytes).toString('utf8');
const count = (n) => (n === null || n === undefined ? null : Number(n));

const DUCKDB_TYPES = { INTEGER: 'int32', BIGINT: 'int64', FLOAT: 'float32', DOUBLE: 'float64', VARCHAR: 'string', BOOLEAN: 'bool' };
const POLARS_TYPES = { Int32: 'int32', Int64: 'int64', Float32: 'float32', Float64: 'float64', String: 'string', Utf8: 'string', Categorical: 'string', Bool: 'bool' };
const PARQUET_TYPES = { INT32: 'int32', INT64: 'int64', FLOAT: 'float32', DOUBLE: 'float64', BOOLEAN: 'bool' };

// A DuckDB connection, its package imported when first used.
async function duckdb() {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  return (await DuckDBInstance.create(':memory:')).connect();
}

// The rows of a DuckDB result: { rows, columns: [{name, type}], data }.
function duckdbTable(all) {
  const names = all.columnNames();
  const types = all.columnTypes().map(String);
  const cols = all.getColumnsJS();
  return {
    rows: all.currentRowCount,
    columns: names.map((name, i) => ({ name, type: DUCKDB_TYPES[types[i]] ?? `?${types[i]}` })),
    data: Object.fromEntries(names.map((n, i) => [n, cols[i] ?? []])),
  };
}

// Each opener imports its package when first used: a child loads only its own.
const OPENERS = {
  duckdb: async () => {
    const db = await duckdb();
    return async (path) => {
      const p = sqlString(path);
      const all = await db.runAndReadAll(`SELECT * FROM read_parquet(${p})`);
      const schema = (await db.runAndReadAll(`SELECT repetition_type FROM parquet_schema(${p})`)).getRowObjectsJS();
      const kv = (await db.runAndReadAll(`SELECT key, value FROM parquet_kv_metadata(${p})`)).getRowObjects();
      const chunks = (await db.runAndReadAll(`SELECT path_in_schema, encodings, stats_null_count, stats_distinct_count, num_values FROM parquet_metadata(${p})`)).getRowObjectsJS();
      return {
        ...duckdbTable(all),
        root: schema[0].repetition_type ?? undefined,
        kv: new Map(kv.map((r) => [text(r.key), text(r.value)])),
        chunks: chunks.map((c) => ({
          column: c.path_in_schema,
          encodings: c.encodings.split(', '),
          nullCount: count(c.stats_null_count),
          distinctCount: count(c.stats_distinct_count),
          values: Number(c.num_values),
        })),
      };
    };
  },
  polars: async () => {
    const pl = (await import('nodejs-polars')).default;
    return async (path) => {
      const df = pl.readParquet(path);
      return {
        rows: df.height,
        columns: df.columns.map((name) => {
          const v = df.getColumn(name).dtype.variant;
          return { name, type: POLARS_TYPES[v] ?? `?${v}`, dict: POLARS_TYPES[v] === 'string' ? v === 'Categorical' : undefined };
        }),
        root: undefined,
        kv: null,
        chunks: null,
        data: Object.fromEntries(df.columns.map((n) => [n, df.getColumn(n).toArray()])),
      };
    };
  },
  hyparquet: async () => {
    const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
    const { compressors } = await import('hyparquet-compressors');
    return async (path) => {
      const file = await asyncBufferFromFile(path);
      const metadata = await parquetMetadataAsync(file);
      const [root, ...leaves] = metadata.schema;
      const columns = leaves.map((s) => ({
        name: s.name,
        type: s.type === 'BYTE_ARRAY' && (s.converted_type === 'UTF8' || s.logical_type?.type === 'STRING') ? 'string' : PARQUET_TYPES[s.type] ?? `?${s.type}`,
      }));
      const objects = await parquetReadObjects({ file, metadata, compressors });
      return {
        rows: Number(metadata.num_rows),
        columns,
        root: root.repetition_type,
        kv: new Map((metadata.key_value_metadata ?? []).map((e) => [e.key, e.value])),
        chunks: metadata.row_groups.flatMap((g) => g.columns.map(({ meta_data: m }) => ({
          column: m.path_in_schema.join('.'),
          encodings: m.encodings,
          nullCount: count(m.statistics?.null_count),
          distinctCount: count(m.statistics?.distinct_count),
          values: Number(m.num_values),
        }))),
        data: Object.fromEntries(columns.map((c) => [c.name, objects.map((o) => o[c.name])])),
      };
    };
  },
};

// A CSV reader, as a user without a Parquet engine runs it: DuckDB's read_csv, types sniffed from the
// text, told only that the first line is the header (a file of a header alone has nothing to sniff it by).
const CSV_OPENERS = {
  'duckdb-csv': async () => {
    const db = await duckdb();
    return async (path) => duckdbTable(await db.runAndReadAll(`SELECT * FROM read_csv(${sqlString(path)}, header = true)`));
  },
};

export const READER_NAMES = Object.keys(OPENERS);
export const CSV_READER_NAMES = Object.keys(CSV_OPENERS);

// A reader that takes longer on one file (a runaway on a malformed file) is stopped.
const TIMEOUT_MS = 120_000;

// A reader in its child process; open(path) resolves to what the opener returns, or rejects with the
// reader's error or with how the process ended.
export class ReaderProcess {
  constructor(name) { this.name = name; this.child = null; }

  open(path) {
    if (!this.child) {
      this.child = fork(fileURLToPath(import.meta.url), [this.name], {
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      this.child.stderr.resume(); // a crash's dump is not ours to print
    }
    const child = this.child;
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, TIMEOUT_MS);
      const done = () => { clearTimeout(timer); child.off('message', onMessage); child.off('exit', onExit); };
      const onMessage = (m) => { done(); m.error ? reject(new Error(m.error)) : resolve(m.result); };
      const onExit = (code, signal) => {
        done();
        this.child = null;
        reject(new Error(timedOut ? `no answer within ${TIMEOUT_MS / 1000} s` : signal ? `the reader crashed (${signal})` : `the reader exited with status ${code}`));
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(path);
    });
  }

  close() { this.child?.disconnect(); this.child = null; }
}

// The child: node readers.mjs NAME, one path per message, one answer each.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const open = await (OPENERS[process.argv[2]] ?? CSV_OPENERS[process.argv[2]])();
  process.on('message', async (path) => {
    try {
      process.send({ result: await open(path) });
    } catch (e) {
      process.send({ error: String(e.message).split('\n')[0] });
    }
  });
}
