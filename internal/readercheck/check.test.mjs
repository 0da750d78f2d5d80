// Tests of check.mjs itself (node --test; run.sh runs them before the check): a sound folder passes, and
// each kind of damage is found and named. They work on copies of a real run's folder (READERCHECK_DIR, the
// all_recorded run of run.sh) whose Parquet files DuckDB has rewritten, keeping their key-value metadata:
// DuckDB writes the schema root the spec asks for, so every reader, hyparquet too, reads the copies.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const source = process.env.READERCHECK_DIR;
const check = fileURLToPath(new URL('./check.mjs', import.meta.url));
const db = await (await DuckDBInstance.create(':memory:')).connect();
const FILES = ['summary.parquet', 'spikes.parquet', 'state.parquet'];

// rewrite replaces dir/file by DuckDB's copy of `select` over it (src: the original), with the original's
// key-value metadata less the keys in drop.
async function rewrite(dir, file, select = 'SELECT * FROM src', drop = []) {
  const path = join(dir, file);
  const tmp = `${path}.orig`;
  cpSync(path, tmp);
  const kv = (await db.runAndReadAll(`SELECT key, value FROM parquet_kv_metadata('${tmp}')`)).getRowObjects()
    .map((r) => [Buffer.from(r.key.bytes).toString(), Buffer.from(r.value.bytes).toString()])
    .filter(([k]) => !drop.includes(k));
  const lit = kv.map(([k, v]) => `'${k}': '${v.replaceAll("'", "''")}'`).join(', ');
  await db.run(`COPY (WITH src AS (SELECT * FROM read_parquet('${tmp}')) ${select}) TO '${path}' (FORMAT parquet, KV_METADATA {${lit}})`);
  rmSync(tmp);
}

// A copy of the source folder with every table rewritten, then damaged by change(dir).
async function folder(change) {
  const dir = join(mkdtempSync(join(tmpdir(), 'readercheck-')), 'all_recorded');
  cpSync(source, dir, { recursive: true });
  for (const f of FILES) await rewrite(dir, f);
  await change(dir);
  return dir;
}

function run(dir) {
  const r = spawnSync(process.execPath, [check, dir], { encoding: 'utf8', env: { ...process.env, READERCHECK_WRITER_FIX: '0' } });
  rmSync(join(dir, '..'), { recursive: true });
  return { status: r.status, out: r.stdout + r.stderr };
}

// The status check.mjs gives file for reader ('ok', 'FAIL', 'xfail', 'XPASS', '-'): its matrix.
function cell(out, file, reader) {
  const header = out.split('\n').find((l) => l.startsWith('file '));
  const col = header.split(/\s+/).indexOf(reader);
  const row = out.split('\n').findLast((l) => l.startsWith(`all_recorded/${file} `));
  return row?.split(/\s+/)[col] ?? '-';
}

test('READERCHECK_DIR names a run folder', () => {
  assert.ok(source, 'set READERCHECK_DIR to an output folder of testdata/all_recorded.toml (run.sh does)');
});

test('a sound folder passes with every reader, and hyparquet marked expected to fail is called out', { skip: !source }, async () => {
  const { status, out } = run(await folder(async () => {}));
  for (const f of FILES) for (const r of ['duckdb', 'polars']) assert.equal(cell(out, f, r), 'ok', `${f} ${r}\n${out}`);
  for (const f of FILES) assert.equal(cell(out, f, 'hyparquet'), 'XPASS', out);
  assert.match(out, /spikes\.parquet +duckdb +ok \(6\d+ rows, 5 columns, 4 rates checked/);
  assert.match(out, /hyparquet reads every file although it is marked expected to fail/);
  assert.equal(status, 1);
});

const damages = [
  {
    name: 'a rate_hz off by a millionth',
    file: 'spikes.parquet',
    change: (d) => rewrite(d, 'summary.parquet', 'SELECT * REPLACE (rate_hz * 1.000001 AS rate_hz) FROM src'),
    message: /rate from spikes\.parquet [\d.]+ Hz \(\d+ spikes, n 80, 50–300 ms\), summary's rate_hz [\d.]+ \(relative difference 1\.00e-6\)/,
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
    message: /E_late: row \d+ \(E, neuron 4, .*outside the recorder's population, neurons \[3,5,70\]/,
  },
  {
    name: 'a variable of the wrong type',
    file: 'state.parquet',
    change: (d) => rewrite(d, 'state.parquet', 'SELECT * REPLACE (V_m::DOUBLE AS V_m) FROM src', ['ARROW:schema']),
    message: /column V_m: float64, expected float32/,
  },
  {
    name: 'a column missing',
    file: 'summary.parquet',
    change: (d) => rewrite(d, 'summary.parquet', 'SELECT * EXCLUDE (fano) FROM src', ['ARROW:schema']),
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
];

for (const d of damages) {
  test(`finds ${d.name}`, { skip: !source }, async () => {
    const { status, out } = run(await folder(d.change));
    assert.match(out, d.message);
    for (const r of ['duckdb', 'polars']) assert.equal(cell(out, d.file, r), 'FAIL', `${d.file} ${r}\n${out}`);
    assert.equal(status, 1);
  });
}

test('finds a missing file', { skip: !source }, async () => {
  const { status, out } = run(await folder(async (d) => rmSync(join(d, 'spikes.parquet'))));
  assert.match(out, /FAIL .*all_recorded\/spikes\.parquet: missing/);
  assert.equal(status, 1);
});
