// Tests of check.mjs itself (node --test; run.sh runs them before the check): a sound folder passes, and
// each kind of damage is found and named. They work on copies of a real run's folder (READERCHECK_DIR, the
// all_recorded run of run.sh); a damaged table is DuckDB's rewrite of the original (keeping its key-value
// metadata unless told), or the original with its bytes changed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const source = process.env.READERCHECK_DIR;
const check = fileURLToPath(new URL('./check.mjs', import.meta.url));
const db = await (await DuckDBInstance.create(':memory:')).connect();
const FILES = ['summary.parquet', 'spikes.parquet', 'state.parquet'];
const READERS = ['duckdb', 'polars', 'hyparquet'];
const CSV_FILES = ['summary.csv', 'spikes.csv', 'state.csv'];
const CSV_READERS = ['text', 'duckdb'];

// rewrite replaces dir/file by DuckDB's copy of `select` over it (src: the original), with the original's
// key-value metadata less the keys in drop and with the values in set; options: more COPY options.
async function rewrite(dir, file, select = 'SELECT * FROM src', { drop = [], set = {}, options = '' } = {}) {
  const path = join(dir, file);
  const tmp = `${path}.orig`;
  cpSync(path, tmp);
  const kv = new Map((await db.runAndReadAll(`SELECT key, value FROM parquet_kv_metadata('${tmp}')`)).getRowObjects()
    .map((r) => [Buffer.from(r.key.bytes).toString(), Buffer.from(r.value.bytes).toString()]));
  for (const k of drop) kv.delete(k);
  for (const [k, v] of Object.entries(set)) kv.set(k, v);
  const lit = [...kv].map(([k, v]) => `'${k}': '${v.replaceAll("'", "''")}'`).join(', ');
  await db.run(`COPY (WITH src AS (SELECT * FROM read_parquet('${tmp}')) ${select}) TO '${path}' (FORMAT parquet, KV_METADATA {${lit}}${options})`);
  rmSync(tmp);
}

// The schema root of dir/file marked REPEATED, as Arrow Go wrote it before issue 15: the root element's
// repetition_type (Thrift compact field 3, i32, zigzag 0 = REQUIRED) before its name "schema" becomes 2,
// a byte of the same length, so that the footer stays valid.
function repeatRoot(dir, file) {
  const path = join(dir, file);
  const b = readFileSync(path);
  const footer = b.subarray(b.length - 8 - b.readUInt32LE(b.length - 8), b.length - 8);
  const at = footer.indexOf(Buffer.concat([Buffer.from([0x35, 0x00, 0x18, 0x06]), Buffer.from('schema')]));
  assert.ok(at >= 0, `${path}: no REQUIRED root named "schema" in the footer`);
  footer[at + 1] = 0x04;
  writeFileSync(path, b);
}

function editText(path, change) {
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

// A copy of the source folder, damaged by change(dir).
async function folder(change) {
  const dir = join(mkdtempSync(join(tmpdir(), 'readercheck-')), 'all_recorded');
  cpSync(source, dir, { recursive: true });
  await change(dir);
  return dir;
}

function run(dir) {
  const r = spawnSync(process.execPath, [check, dir], { encoding: 'utf8' });
  rmSync(join(dir, '..'), { recursive: true });
  return { status: r.status, out: r.stdout + r.stderr };
}

// The status check.mjs gives file for reader ('ok', 'FAIL', '-'): its matrix.
function cell(out, file, reader) {
  const header = out.split('\n').find((l) => l.startsWith('file '));
  const col = header.split(/\s+/).indexOf(reader);
  const row = out.split('\n').findLast((l) => l.startsWith(`all_recorded/${file} `));
  return row?.split(/\s+/)[col] ?? '-';
}

test('READERCHECK_DIR names a run folder', () => {
  assert.ok(source, 'set READERCHECK_DIR to an output folder of testdata/all_recorded.toml (run.sh does)');
});

test('a sound folder passes with every reader', { skip: !source }, async () => {
  const { status, out } = run(await folder(async () => {}));
  for (const f of FILES) for (const r of READERS) assert.equal(cell(out, f, r), 'ok', `${f} ${r}\n${out}`);
  for (const f of CSV_FILES) for (const r of CSV_READERS) assert.equal(cell(out, f, r), 'ok', `${f} ${r}\n${out}`);
  assert.equal(cell(out, 'nest/', 'text'), 'ok', out);
  assert.match(out, /spikes\.csv +text +ok \(6\d+ rows against spikes\.parquet/);
  assert.match(out, /state\.csv +duckdb +ok \(\d+ rows, 9 columns against state\.parquet/);
  assert.match(out, /spikes\.parquet +duckdb +ok \(6\d+ rows, 6 columns, 4 rates checked/);
  assert.match(out, /nest\/ +text +ok \(6\d+ rows against spikes\.parquet/);
  assert.equal(status, 0, out);
});

// file: the file whose cell must fail for readers (default: every reader).
const damages = [
  {
    name: 'a rate_hz off by a millionth',
    file: 'spikes.parquet',
    change: (d) => rewrite(d, 'summary.parquet', 'SELECT * REPLACE (rate_hz * 1.000001 AS rate_hz) FROM src'),
    message: /rate from spikes\.parquet [\d.]+ Hz \(\d+ spikes, n_rec 80, 50–300 ms\), summary's rate_hz [\d.]+ \(relative difference 1\.00e-6\)/,
  },
  {
    name: 'a spike left out',
    file: 'spikes.parquet',
    change: (d) => rewrite(d, 'spikes.parquet', 'SELECT * FROM src LIMIT (SELECT count(*) - 1 FROM src)'),
    message: /rows, progress\.json counted/,
  },
  {
    name: 'a spike of a neuron the recorder does not record',
    file: 'spikes.parquet',
    change: (d) => rewrite(d, 'spikes.parquet', "SELECT * REPLACE (CASE WHEN recorder = 'E_late' THEN 4 ELSE neuron END AS neuron) FROM src"),
    message: /\d\/E_late: row \d+ \(E, neuron 4, [\d.]+ ms\) is outside the recorder's population E, neurons \[\[3,3\],\[5,5\],\[70,70\]\]/,
  },
  {
    name: 'times computed as step × dt',
    file: 'spikes.parquet',
    change: (d) => rewrite(d, 'spikes.parquet', 'SELECT * REPLACE (step * 0.1::DOUBLE AS time_ms) FROM src'),
    message: /time_ms \d+\.\d{12,} in row \d+ is not step \d+ · dt 0\.1 as the grid's decimal \([\d.]+\)/,
  },
  {
    name: 'NaN where a statistic does not exist',
    file: 'summary.parquet',
    change: (d) => rewrite(d, 'summary.parquet', "SELECT * REPLACE (CASE WHEN point = 1 AND population = 'I' THEN 'NaN'::DOUBLE ELSE fano END AS fano) FROM src"),
    message: /column fano: NaN in row 3 \(NULL where a value does not exist\)/,
  },
  {
    name: 'a schema root marked REPEATED',
    file: 'summary.parquet',
    readers: ['duckdb', 'hyparquet'], // polars does not show the root
    change: async (d) => repeatRoot(d, 'summary.parquet'),
    message: /schema root REPEATED, expected REQUIRED/,
  },
  {
    name: 'a name column not dictionary-encoded',
    file: 'spikes.parquet',
    readers: ['duckdb', 'hyparquet'], // polars sees the stored Arrow schema's dictionary
    change: (d) => rewrite(d, 'spikes.parquet', undefined, { options: ', DICTIONARY_SIZE_LIMIT 1' }),
    message: /column population: not dictionary-encoded \(PLAIN\)/,
  },
  {
    name: 'a recorder\'s n_rec that is not run.json\'s',
    file: 'spikes.parquet',
    readers: ['duckdb', 'hyparquet'], // polars does not show the metadata
    change: (d) => rewrite(d, 'spikes.parquet', undefined, { set: { 'recorder.spike_recorder-0.n_rec': '79' } }),
    message: /recorder\.spike_recorder-0\.n_rec 79: point 0 has 79, run\.json 80/,
  },
  {
    name: 'units that are not the fields\'',
    file: 'state.parquet',
    readers: ['duckdb', 'hyparquet'],
    change: (d) => rewrite(d, 'state.parquet', undefined, { set: { units: '{"time_ms":"ms","V_m":"V"}' } }),
    message: /units \{"time_ms":"ms","V_m":"V"\} is not the fields' units/,
  },
  {
    name: 'a variable of the wrong type',
    file: 'state.parquet',
    change: (d) => rewrite(d, 'state.parquet', 'SELECT * REPLACE (V_m::DOUBLE AS V_m) FROM src', { drop: ['ARROW:schema'] }),
    message: /column V_m: float64, expected float32/,
  },
  {
    name: 'a column missing',
    file: 'summary.parquet',
    change: (d) => rewrite(d, 'summary.parquet', 'SELECT * EXCLUDE (fano) FROM src', { drop: ['ARROW:schema'] }),
    message: /no column fano/,
  },
  {
    name: 'n not the population size',
    file: 'summary.parquet',
    change: (d) => rewrite(d, 'summary.parquet', 'SELECT * REPLACE (n + 1 AS n) FROM src'),
    message: /n 81, run\.json's E has 80 neurons/,
  },
  {
    name: 'a sample missing',
    file: 'state.parquet',
    change: (d) => rewrite(d, 'state.parquet', 'SELECT * FROM src WHERE NOT (recorder = \'multimeter-4\' AND neuron = 1 AND time_ms = 2)'),
    message: /multimeter-4: 299 samples of 2 neurons at 150 times, expected every one of its 2 neurons at each time/,
  },
  {
    name: 'a NEST sender that is not the spike\'s neuron',
    file: 'nest/',
    readers: ['text'],
    change: async (d) => editText(join(d, 'nest/p0/spike_recorder-0-102-0.dat'), (t) => t.replace(/^(\d+)\t/m, (_, s) => `${Number(s) + 1}\t`)),
    message: /nest\/p0\/spike_recorder-0-102-0\.dat: row 1 "\d+ [\d.]+" is neuron \d+ of E \(first id 1 in nodes\.csv\) at [\d.]+ ms; spikes\.parquet has neuron \d+ at/,
  },
  {
    name: 'a CSV time that is not the table\'s',
    file: 'spikes.csv',
    readers: CSV_READERS,
    change: async (d) => editText(join(d, 'spikes.csv'), (t) => t.replace(/\n(0,E,spike_recorder-0,\d+,)([\d.]+),/, (_, a, x) => `\n${a}${Number(x) + 1},`)),
    message: /line 2, column time_ms: "[\d.]+", the table has [\d.]+/,
  },
  {
    name: 'a NULL written as NaN in the CSV view',
    file: 'state.csv',
    readers: CSV_READERS,
    change: async (d) => editText(join(d, 'state.csv'), (t) => t.replace(/,,\n/, ',NaN,\n')),
    message: /line \d+, column I_syn_ex: "NaN", the table has null/,
  },
  {
    name: 'a name quoted without need',
    file: 'spikes.csv',
    readers: ['text'], // DuckDB reads it as the name
    change: async (d) => editText(join(d, 'spikes.csv'), (t) => t.replace(',E,', ',"E",')),
    message: /line 2, column population: "E" quoted, which it does not need/,
  },
  {
    name: 'CSV lines ended by CR LF',
    file: 'summary.csv',
    readers: ['text'],
    change: async (d) => editText(join(d, 'summary.csv'), (t) => t.replaceAll('\n', '\r\n')),
    message: /line 1, field 15: a CR \(lines end in LF\)/,
  },
];

for (const d of damages) {
  test(`finds ${d.name}`, { skip: !source }, async () => {
    const { status, out } = run(await folder(d.change));
    assert.match(out, d.message);
    for (const r of d.readers ?? READERS) assert.equal(cell(out, d.file, r), 'FAIL', `${d.file} ${r}\n${out}`);
    assert.equal(status, 1);
  });
}

test('finds a missing file', { skip: !source }, async () => {
  const { status, out } = run(await folder(async (d) => rmSync(join(d, 'spikes.parquet'))));
  assert.match(out, /FAIL .*all_recorded\/spikes\.parquet: missing/);
  assert.equal(status, 1);
});

test('finds a missing CSV file', { skip: !source }, async () => {
  const { status, out } = run(await folder(async (d) => rmSync(join(d, 'summary.csv'))));
  assert.match(out, /FAIL .*all_recorded\/summary\.csv: missing/);
  assert.equal(status, 1);
});

test('finds a point missing from run.json\'s batches', { skip: !source }, async () => {
  const { status, out } = run(await folder(async (d) => editText(join(d, 'run.json'), (t) => {
    const run = JSON.parse(t);
    run.batches = run.batches.map((b) => ({ ...b, points: b.points.filter((p) => p !== 1) }));
    return JSON.stringify(run);
  })));
  assert.match(out, /FAIL .*all_recorded\/run\.json: point 1 is in 0 batches/);
  assert.equal(status, 1);
});

test('finds a state.parquet of a run without a multimeter', { skip: !source }, async () => {
  const { status, out } = run(await folder(async (d) => editText(join(d, 'run.json'), (t) => {
    const run = JSON.parse(t);
    for (const p of run.points) p.network.recorders = p.network.recorders.filter((r) => r.model !== 'multimeter');
    return JSON.stringify(run);
  })));
  assert.match(out, /FAIL .*all_recorded\/state\.parquet: written although the run has no multimeter/);
  assert.equal(status, 1);
});

test('fails a known writer defect that no file shows any more', { skip: !source }, async () => {
  const { status, out } = run(await folder(async (d) => { for (const f of FILES) await rewrite(d, f); }));
  assert.match(out, /FAIL no file shows the known defect any more: remove it from KNOWN_DEFECTS in check\.mjs: Arrow Go v15 writes distinct_count 0/);
  assert.equal(status, 1);
});
