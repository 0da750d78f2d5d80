// The real-reader check (issue 15): opens every output of snn-gpu runs with the readers users have, and
// checks what they see against docs/outputs.md and against what the Go side wrote.
//
//   node check.mjs DIR...        (make readers: internal/readercheck/run.sh runs the examples first)
//
// Each DIR is an output folder: a run's (run.json, progress.json, summary.parquet, spikes.parquet,
// state.parquet, their .csv views, nest/) or inspect's (connectivity.parquet, edges.parquet). Readers, all
// from npm, pinned in package-lock.json:
//   duckdb     @duckdb/node-api (DuckDB's own C++ Parquet reader)
//   polars     nodejs-polars (Rust; reads the stored Arrow schema, as pandas/pyarrow do)
//   hyparquet  pure JavaScript, with hyparquet-compressors for zstd and gzip
// and apache-arrow decodes the Arrow schema the files store (ARROW:schema): the types, dictionaries and
// field units pyarrow and pandas restore. The NEST view's text files and the CSV view are read as text
// ("text" below), the CSV view by DuckDB's read_csv too.
//
// Per Parquet file and reader:
// - the schema: the columns of SCHEMA below (names, order, types, dictionary columns), the root REQUIRED,
//   name columns dictionary-encoded and column statistics that agree with the values;
// - the metadata (readers that show it): every documented key and no other, values JSON (snn.hash plain
//   hex), equal to run.json's point by point (an object from point to value where points differ), the
//   recorders' population, n_rec, neurons, window (and interval, record_from), the units in each field's
//   Arrow metadata and the same in the `units` key;
// - the values: every one equal to the first reader's; NULL, never NaN, where a value does not exist;
//   row counts as the Go side counted them (run.json's points × populations, progress.json's rows per
//   recorder, connectivity's synapses for the edges); rows in the documented order; every time_ms the
//   grid's decimal of its step (dt's shortest decimal M·10^−D: the float64 nearest step·M/10^D); spikes
//   and samples inside their recorder's neurons and window as the file's metadata gives them; every
//   multimeter sample complete; edge delays grid decimals;
// - the rate from the file alone: wherever spikes.parquet's metadata says a recorder saw every neuron of
//   its population (n_rec = summary's n, neurons [[0, n−1]]) through the analysis window, its spikes with
//   from < time_ms <= stop, from = max(t_start, start), over n_rec·(stop − from) equal summary.parquet's
//   rate_hz (relative 1e-12). gif_pop_psc_exp is the exception: its node stands for N neurons and n_rec
//   counts nodes, so N comes from run.json (said in the output).
// Per folder: the files the run should have and no others (no state.parquet without a multimeter); run.json's
// batches, every point in one, with its wall time; with [output] nest = true the NEST view: nodes.csv
// numbered as NEST creates the config's nodes, and each spike recorder's .dat rows, sender and time, equal
// to spikes.parquet's through nodes.csv; with [output] csv = true the CSV view: each table's .csv, parsed
// as RFC 4180 (LF line ends, fields quoted where and only where they need it), its header the table's
// columns, its rows the table's, value by value (numbers the text JavaScript writes for them, the float32
// columns' the float32's value, NULL an empty field), and read by DuckDB's read_csv to the same values.
//
// KNOWN_DEFECTS lists writer defects that are known and reported to the writer's owners (Arrow Go's, or
// output/ here): what they explain is shown beneath the matrix instead of failing; one that no file it
// applies to shows any more fails the check, so that its entry goes when the writer is fixed.
//
// Output: one line per file and reader, the problems beneath, a matrix file × reader, and a closing
// "readers: N passed, N failed" line; the exit status is 1 if anything failed.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { MessageReader } from 'apache-arrow';
import { CSV_READER_NAMES, READER_NAMES, ReaderProcess } from './readers.mjs';

// ---------------------------------------------------------------------------------------------------
// The documented layout (docs/outputs.md), one entry per file. columns: [name, type, {dict, unit,
// nullable}]: types in the readers' common names (int32, int64, float32, float64, string); dict a name
// column (Arrow dictionary, polars Categorical, dictionary-encoded in Parquet); unit the field's unit
// (none without). '<swept>' stands for summary's swept columns (run.json's swept names, in order),
// '<vars>' for state's variable columns (the multimeters' variables, in order of first appearance) with
// the unit the models give them ('<var>', progress.json's layouts), '<weight>' for the projections'
// common weight unit (connectivity's weight_unit). kv: the key-value metadata keys every such file has;
// recorders: the model whose recorder.R.* keys the file has; projections: projection.P.weight_unit keys.
const NAME = { dict: true };
const TRAIN = [
  ['point', 'int32'],
  ['population', 'string', NAME],
  ['recorder', 'string', NAME],
  ['neuron', 'int32'],
  ['time_ms', 'float64', { unit: 'ms' }],
  ['step', 'int64'],
];
const RUN_KV = ['snn.hash', 'snn.seed', 'dt', 't_sim', 't_start', 'units'];
const INSPECT_KV = ['snn.hash', 'snn.seed', 'snn.point', 'dt', 'units'];
const SCHEMA = {
  'summary.parquet': {
    kv: [...RUN_KV, 'snn.swept', 'bin_ms'],
    columns: [
      ['point', 'int32'],
      ['<swept>', 'float64'],
      ['label', 'string', NAME], // only when some point has a label
      ['population', 'string', NAME],
      ['n', 'int32'],
      ['rate_hz', 'float64', { unit: 'Hz', nullable: true }],
      ['cv_isi', 'float64', { nullable: true }],
      ['fano', 'float64', { nullable: true }],
      ['peak_hz', 'float64', { unit: 'Hz', nullable: true }],
      ['peak_power', 'float64', { nullable: true }],
      ['synapses', 'int64'],
      ['backend', 'string', NAME],
      ['rate_mean', 'float64', { nullable: true }], // rate models' sampled rate (NaN for spiking populations)
      ['rate_sd', 'float64', { nullable: true }],
      ['rate_final', 'float64', { nullable: true }],
      ['rate_settle_ms', 'float64', { unit: 'ms', nullable: true }],
    ],
  },
  'spikes.parquet': { kv: RUN_KV, recorders: 'spike_recorder', columns: TRAIN },
  'state.parquet': {
    kv: RUN_KV,
    recorders: 'multimeter',
    columns: [...TRAIN, ['<vars>', 'float32', { unit: '<var>', nullable: true }]],
  },
  'structure.parquet': {
    kv: [...RUN_KV, 'bin_ms'],
    columns: [
      ['point', 'int32'],
      ['time_ms', 'float64', { unit: 'ms' }],
      ['quantity', 'string', NAME],
      ['population', 'string', NAME],
      ['target', 'string', NAME],
      ['name', 'string', NAME],
      ['value', 'float64'],
    ],
  },
  // Plastic synapses (output/weights.go): weight_recorder's transmissions, every synapse's final weight.
  'weights.parquet': {
    kv: [...RUN_KV, 'bin_ms'],
    columns: [
      ['point', 'int32'],
      ['recorder', 'string', NAME],
      ['source_population', 'string', NAME],
      ['sender', 'int32'],
      ['target_population', 'string', NAME],
      ['target', 'int32'],
      ['time_ms', 'float64', { unit: 'ms' }],
      ['weight', 'float32'],
    ],
  },
  'final_weights.parquet': {
    kv: [...RUN_KV, 'bin_ms'],
    columns: [
      ['point', 'int32'],
      ['projection', 'string', NAME],
      ['source_population', 'string', NAME],
      ['sender', 'int32'],
      ['target_population', 'string', NAME],
      ['target', 'int32'],
      ['weight', 'float32'],
    ],
  },
  'connectivity.parquet': {
    kv: INSPECT_KV,
    columns: [
      ['projection', 'string', NAME],
      ['source', 'string', NAME],
      ['target', 'string', NAME],
      ['rule', 'string', NAME],
      ['weight_unit', 'string', { dict: true, nullable: true }],
      ['synapses', 'int64'],
      ['autapses', 'int64'],
      ['multapses', 'int64'],
      ['indegree_mean', 'float64', { nullable: true }],
      ['indegree_sd', 'float64', { nullable: true }],
      ['outdegree_mean', 'float64', { nullable: true }],
      ['outdegree_sd', 'float64', { nullable: true }],
      ['build_s', 'float64', { unit: 's' }],
      ['bytes_per_synapse', 'float64', { unit: 'B', nullable: true }],
    ],
  },
  'edges.parquet': {
    kv: INSPECT_KV,
    projections: true,
    columns: [
      ['projection', 'string', NAME],
      ['source', 'int32'],
      ['target', 'int32'],
      ['weight', 'float32', { unit: '<weight>' }],
      ['delay_ms', 'float64', { unit: 'ms' }],
    ],
  },
};
const UNIT_KEY = 'unit';
const RUN_FILES = ['summary.parquet', 'spikes.parquet', 'state.parquet', 'structure.parquet', 'weights.parquet', 'final_weights.parquet'];
const INSPECT_FILES = ['connectivity.parquet', 'edges.parquet'];

// Models whose node stands for several neurons: summary's n counts those (internal/runner/sinks.go).
const NEURONS_PER_NODE = { gif_pop_psc_exp: (pop) => pop.params.N };

const RATE_TOL = 1e-12;
// A time or delay computed as k·dt in floating point that is not the decimal is an ulp or two off it,
// and its shortest writing takes 16 or 17 digits; a grid's decimal takes few.
const GRID_DIGITS = 12;

const KNOWN_DEFECTS = [
  {
    what: 'Arrow Go v15 writes distinct_count 0 in the statistics of every column chunk (unknown, but read as "no distinct values"); fixed upstream by apache/arrow-go#807',
    match: /^statistics of \S+: distinct_count 0 for [1-9]\d* values/,
    applies: () => true,
  },
];

// ---------------------------------------------------------------------------------------------------
// Findings of one file for one reader: problems fail it; those a known defect explains are kept apart.

const defectHits = new Map(KNOWN_DEFECTS.map((d) => [d, new Map()])); // defect -> file -> first message
const defectApplied = new Map(KNOWN_DEFECTS.map((d) => [d, 0])); // defect -> files it applies to

class Findings {
  constructor(file) { this.file = file; this.problems = []; this.rates = 0; this.ratesFromRunJSON = 0; }
  problem(msg) {
    const d = KNOWN_DEFECTS.find((k) => k.match.test(msg));
    if (d) { if (!defectHits.get(d).has(this.file)) defectHits.get(d).set(this.file, msg); return; }
    if (!this.problems.includes(msg)) this.problems.push(msg);
  }
  expect(ok, msg) { if (!ok) this.problem(msg); return ok; }
}

const canon = (v) => (v === null || v === undefined ? 'null' : typeof v === 'number' && Object.is(v, -0) ? '-0' : String(v));
const relDiff = (a, b) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
const sum = (it) => { let s = 0; for (const x of it) s += x; return s; };
// JSON texts compared as values: objects regardless of key order.
const sortKeys = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])])) : v);
const sameJSON = (a, b) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
const significantDigits = (x) => x.toExponential().split('e')[0].replace(/[-.]/g, '').length;

// The time of step on the grid of dt (docs/outputs.md): with dt's shortest decimal M·10^−D, the float64
// nearest to step·M/10^D, which Number() of that decimal's text is.
function gridTime(step, dt) {
  const [mant, exp] = dt.toExponential().split('e');
  const [int, frac = ''] = mant.split('.');
  return Number(`${BigInt(step) * BigInt(int + frac)}e${Number(exp) - frac.length}`);
}

// A key-value metadata value: its JSON, undefined when absent or not JSON.
function metaJSON(kv, key) {
  try { return JSON.parse(kv?.get(key)); } catch { return undefined; }
}

// A key-value metadata value at point p: the value, or where the points disagree, the value of p in the
// object from point to value.
function metaAt(kv, key, p) {
  const v = metaJSON(kv, key);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v[String(p)] : v;
}

// Neuron indices as the metadata's ranges, both ends included: [[0,49],[60,60]].
function ranges(neurons) {
  const out = [];
  for (const i of [...neurons].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last && i === last[1] + 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}
const inRanges = (rs, i) => rs.some(([a, b]) => a <= i && i <= b);

// The Arrow schema stored in the file (what pyarrow and pandas restore): [{name, type, dict, meta}].
function arrowSchema(kv) {
  const blob = kv.get('ARROW:schema');
  if (!blob) return null;
  const schema = new MessageReader(Buffer.from(blob, 'base64')).readSchema();
  const arrowType = (t) => {
    const s = String(t);
    if (s === 'Utf8' || s === 'LargeUtf8') return 'string';
    return { Int32: 'int32', Int64: 'int64', Float32: 'float32', Float64: 'float64', Bool: 'bool' }[s] ?? `?${s}`;
  };
  return schema.fields.map((f) => {
    const dict = f.type.dictionary !== undefined;
    return { name: f.name, type: arrowType(dict ? f.type.dictionary : f.type), dict, meta: f.metadata };
  });
}

// ---------------------------------------------------------------------------------------------------
// The schema.

// The expected columns of a file, the placeholders expanded: [{name, type, dict, unit, nullable}].
function expectedColumns(fileName, ctx) {
  const out = [];
  for (const [name, type, opt = {}] of SCHEMA[fileName].columns) {
    if (name === '<swept>') for (const s of ctx.swept) out.push({ name: s, type });
    else if (name === '<vars>') for (const v of ctx.vars) out.push({ ...opt, name: v, type, unit: ctx.varUnits.get(v) });
    else if (name === 'label' && !ctx.labels) continue;
    else out.push({ ...opt, name, type, unit: opt.unit === '<weight>' ? ctx.weightUnit : opt.unit });
  }
  return out;
}

// columns as a reader (or the stored Arrow schema) shows them against want.
function checkColumns(f, columns, want, where = '') {
  const present = new Map(columns.map((c) => [c.name, c]));
  const order = [];
  for (const w of want) {
    const c = present.get(w.name);
    if (!f.expect(c, `${where}no column ${w.name}`)) continue;
    order.push(w.name);
    f.expect(c.type === w.type, `${where}column ${w.name}: ${c.type}, expected ${w.type}`);
    if (c.dict !== undefined) f.expect(c.dict === !!w.dict, `${where}column ${w.name}: ${c.dict ? '' : 'not '}a dictionary column, expected ${w.dict ? '' : 'none'}`);
  }
  const known = new Set(want.map((w) => w.name));
  for (const c of columns) f.expect(known.has(c.name), `${where}unexpected column ${c.name} (${c.type})`);
  const got = columns.map((c) => c.name).filter((n) => order.includes(n));
  f.expect(got.join() === order.join(), `${where}column order ${got.join(', ')}, expected ${order.join(', ')}`);
}

// What the footer says of the column chunks: name columns dictionary-encoded, statistics that agree
// with the values the reader decoded.
function checkChunks(f, got, want) {
  if (!got.chunks) return;
  const nulls = (name) => got.data[name]?.filter((v) => v === null || v === undefined).length;
  for (const w of want) {
    const chunks = got.chunks.filter((c) => c.column === w.name);
    for (const c of chunks) {
      if (w.dict && c.values > 0) f.expect(c.encodings.some((e) => e.endsWith('DICTIONARY')), `column ${w.name}: not dictionary-encoded (${c.encodings.join(', ')})`);
      if (c.nullCount !== null) f.expect(c.nullCount >= 0 && c.nullCount <= c.values, `statistics of ${w.name}: null_count ${c.nullCount} of ${c.values} values`);
      const nonNull = c.values - Math.max(0, c.nullCount ?? 0);
      if (c.distinctCount !== null) f.expect(c.distinctCount <= nonNull && (c.distinctCount > 0 || nonNull === 0), `statistics of ${w.name}: distinct_count ${c.distinctCount} for ${nonNull} values`);
    }
    if (chunks.length && chunks.every((c) => c.nullCount !== null && c.nullCount >= 0)) {
      const stated = sum(chunks.map((c) => c.nullCount));
      f.expect(stated === nulls(w.name), `statistics of ${w.name}: null_count ${stated} in all, the reader sees ${nulls(w.name)} nulls`);
    }
  }
}

// NULL, not NaN, where a value does not exist; no NULL where the docs promise a value.
function checkNulls(f, got, want) {
  for (const w of want) {
    const col = got.data[w.name];
    if (!col) continue;
    const nan = col.findIndex((v) => typeof v === 'number' && Number.isNaN(v));
    f.expect(nan < 0, `column ${w.name}: NaN in row ${nan} (NULL where a value does not exist)`);
    if (!w.nullable) {
      const i = col.findIndex((v) => v === null || v === undefined);
      f.expect(i < 0, `column ${w.name}: NULL in row ${i}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The key-value metadata and the stored Arrow schema, for each reader that shows them.

function checkMetadata(f, kv, fileName, want, ctx) {
  const spec = SCHEMA[fileName];
  for (const key of spec.kv) f.expect(kv.has(key), `no key-value metadata ${key}`);
  for (const [key, value] of kv) {
    if (key === 'ARROW:schema') continue;
    if (key === 'snn.hash') { f.expect(/^[0-9a-f]{64}$/.test(value), `snn.hash ${value} is not a plain hexadecimal SHA-256`); continue; }
    const documented = spec.kv.includes(key) || (spec.recorders && /^recorder\..+\.\w+$/.test(key))
      || (spec.projections && /^projection\..+\.weight_unit$/.test(key));
    f.expect(documented, `undocumented key-value metadata ${key}`);
    try { JSON.parse(value); } catch { f.problem(`key-value metadata ${key}: ${value} is not JSON`); }
  }
  if (ctx.hash) f.expect(kv.get('snn.hash') === ctx.hash, `snn.hash ${kv.get('snn.hash')} is not progress.json's ${ctx.hash}`);

  const arrow = arrowSchema(kv);
  if (f.expect(arrow !== null, 'no stored Arrow schema (ARROW:schema)')) {
    checkColumns(f, arrow, want, 'Arrow schema: ');
    const units = Object.fromEntries(arrow.filter((a) => a.meta.has(UNIT_KEY)).map((a) => [a.name, a.meta.get(UNIT_KEY)]));
    for (const w of want) f.expect(units[w.name] === w.unit, `column ${w.name}: unit ${units[w.name] ?? 'none'} in its field metadata, expected ${w.unit ?? 'none'}`);
    if (kv.has('units')) f.expect(sameJSON(metaJSON(kv, 'units'), units), `units ${kv.get('units')} is not the fields' units ${JSON.stringify(units)}`);
  }
  if (ctx.run) checkRunMetadata(f, kv, spec, ctx);
  else checkInspectMetadata(f, kv, spec, ctx);
}

function checkRunMetadata(f, kv, spec, ctx) {
  if (spec.kv.includes('snn.swept')) f.expect(sameJSON(metaJSON(kv, 'snn.swept'), ctx.swept), `snn.swept ${kv.get('snn.swept')}, run.json says ${JSON.stringify(ctx.swept)}`);
  const names = new Set([...kv.keys()].filter((k) => k.startsWith('recorder.') && k.endsWith('.population')).map((k) => k.slice(9, -11)));
  for (const pt of ctx.run.points) {
    const net = pt.network, p = pt.index;
    const want = { 'snn.seed': net.simulation.seed, dt: net.simulation.dt, t_sim: net.simulation.t_sim, t_start: net.analysis.t_start, bin_ms: net.analysis.bin_ms };
    for (const key of spec.kv) {
      if (key in want) f.expect(metaAt(kv, key, p) === want[key], `${key} ${kv.get(key)}: point ${p} has ${metaAt(kv, key, p)}, run.json ${want[key]}`);
    }
    if (!spec.recorders) continue;
    const recs = net.recorders.filter((r) => r.model === spec.recorders);
    for (const r of recs) {
      if (!f.expect(names.has(r.name), `no key-value metadata of ${r.model} ${r.name}`)) continue;
      const key = `recorder.${r.name}.`;
      const neurons = recorded(r);
      const wantRec = {
        population: r.source,
        n_rec: neurons.length,
        neurons: ranges(neurons),
        start: r.start,
        stop: Math.min(r.stop, net.simulation.t_sim),
        ...(r.model === 'multimeter' ? { interval: r.interval, record_from: r.record_from } : {}),
      };
      for (const [k, v] of Object.entries(wantRec)) {
        f.expect(sameJSON(metaAt(kv, key + k, p), v), `${key}${k} ${kv.get(key + k)}: point ${p} has ${JSON.stringify(metaAt(kv, key + k, p))}, run.json ${JSON.stringify(v)}`);
      }
    }
  }
  for (const n of names) {
    const known = ctx.run.points.some((pt) => pt.network.recorders.some((r) => r.name === n && r.model === spec.recorders));
    f.expect(known, `recorder.${n}.* in the metadata: run.json has no ${spec.recorders} ${n}`);
  }
}

function checkInspectMetadata(f, kv, spec, ctx) {
  for (const key of ['snn.seed', 'snn.point']) {
    const v = metaJSON(kv, key);
    f.expect(Number.isInteger(v) && v >= 0, `${key} ${kv.get(key)}: expected a whole number`);
  }
  if (!spec.projections || !ctx.conn) return;
  const c = ctx.conn.data;
  for (let k = 0; k < ctx.conn.rows; k++) {
    const key = `projection.${c.projection[k]}.weight_unit`;
    f.expect(metaJSON(kv, key) === (c.weight_unit[k] ?? undefined), `${key} ${kv.get(key)}, connectivity.parquet's weight_unit ${c.weight_unit[k]}`);
  }
  const known = new Set(c.projection.map((p) => `projection.${p}.weight_unit`));
  for (const key of kv.keys()) if (key.startsWith('projection.')) f.expect(known.has(key), `${key}: no such projection in connectivity.parquet`);
}

// ---------------------------------------------------------------------------------------------------
// The Go side: run.json and progress.json of a run folder.

function runContext(dir) {
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  const progress = JSON.parse(readFileSync(join(dir, 'progress.json'), 'utf8'));
  for (const p of run.points) { p.network.recorders ??= []; p.network.connections ??= []; } // omitted when empty
  for (const p of run.points) for (const r of p.network.recorders) [r.start, r.stop] = [Number(r.start), Number(r.stop)]; // "Infinity" in JSON
  const vars = [];
  for (const p of run.points) for (const r of p.network.recorders) for (const v of r.record_from ?? []) if (!vars.includes(v)) vars.push(v);
  // A variable's unit: the one the models give it (the layouts), none where they differ.
  const units = new Map();
  for (const b of progress.batches) {
    for (const r of b.layout.recorders ?? []) for (const v of r.vars ?? []) (units.get(v.name) ?? units.set(v.name, new Set()).get(v.name)).add(v.unit ?? '');
  }
  const varUnits = new Map([...units].filter(([, u]) => u.size === 1 && !u.has('')).map(([v, u]) => [v, [...u][0]]));
  const rows = { spikes: new Map(), state: new Map() }; // "point/recorder" -> rows, from progress.json
  for (const b of progress.batches) {
    for (const kind of ['spikes', 'state']) for (const p of b[kind] ?? []) rows[kind].set(`${p.point}/${p.recorder}`, p.rows);
  }
  const has = (model) => run.points.some((p) => p.network.recorders.some((r) => r.model === model));
  return {
    run, progress, vars, varUnits,
    swept: run.swept ?? [],
    labels: run.points.some((p) => p.label),
    hash: progress.hash,
    points: new Map(run.points.map((p) => [p.index, p.network])),
    goRows: rows,
    want: {
      'summary.parquet': true,
      'spikes.parquet': progress.spikes && has('spike_recorder'),
      'state.parquet': progress.state && has('multimeter'),
      'structure.parquet': run.points.some((p) => p.network.structural_plasticity),
      'weights.parquet': run.points.some((p) => (p.network.connections ?? []).some((c) => c.syn.weight_recorder)),
      'final_weights.parquet': run.points.some((p) => (p.network.connections ?? []).some((c) => c.syn.params)),
      nest: !!progress.nest && has('spike_recorder'),
      csv: !!progress.csv,
    },
  };
}

// run.json's batches: every point in exactly one, each with its measured time.
function checkBatches(run) {
  if (!Array.isArray(run.batches)) return ['no batches'];
  const problems = [];
  const seen = new Map();
  for (const b of run.batches) {
    for (const p of b.points) seen.set(p, (seen.get(p) ?? 0) + 1);
    if (!(b.wall_s >= 0 && Number(b.steps_per_s) > 0)) problems.push(`batch ${JSON.stringify(b.points)}: wall_s ${b.wall_s}, steps_per_s ${b.steps_per_s}`);
  }
  for (const p of run.points) if (seen.get(p.index) !== 1) problems.push(`point ${p.index} is in ${seen.get(p.index) ?? 0} batches`);
  return problems;
}

const recorded = (r) => (r.neurons ? r.neurons : Array.from({ length: r.first }, (_, i) => i));
const neuronsOf = (pop) => (NEURONS_PER_NODE[pop.model] ? pop.n * NEURONS_PER_NODE[pop.model](pop) : pop.n);

// Rows grouped by key(i), in order of first appearance: Map key -> [row indices].
function groupRows(n, key) {
  const g = new Map();
  for (let i = 0; i < n; i++) {
    const k = key(i);
    if (!g.has(k)) g.set(k, []);
    g.get(k).push(i);
  }
  return g;
}

// ---------------------------------------------------------------------------------------------------
// The values of a run's file as one reader decoded them. kv: the file's key-value metadata (the first
// reader's that shows it); summary: the same reader's summary.parquet, for the rates.

function checkRunFile(f, fileName, got, kv, ctx, summary) {
  const d = got.data;
  if (fileName === 'summary.parquet') {
    const pops = sum(ctx.run.points.map((p) => p.network.populations.length));
    f.expect(got.rows === pops, `${got.rows} rows, run.json has ${pops} points × populations`);
    const order = ctx.run.points.flatMap((p) => p.network.populations.map((pop) => `${p.index}/${pop.name}`));
    for (let i = 0; i < got.rows; i++) {
      f.expect(`${d.point[i]}/${d.population[i]}` === order[i], `row ${i}: point ${d.point[i]}, ${d.population[i]}; run.json's order has ${order[i]}`);
      const pt = ctx.run.points.find((p) => p.index === d.point[i]);
      const pop = pt?.network.populations.find((p) => p.name === d.population[i]);
      if (!pop) continue;
      f.expect(d.n[i] === neuronsOf(pop), `row ${i}: n ${d.n[i]}, run.json's ${pop.name} has ${neuronsOf(pop)} neurons`);
      ctx.swept.forEach((s, k) => f.expect(d[s]?.[i] === pt.values[k], `row ${i}: ${s} ${d[s]?.[i]}, run.json says ${pt.values[k]}`));
      if (ctx.labels) f.expect(d.label?.[i] === (pt.label ?? ''), `row ${i}: label ${d.label?.[i]}, run.json says ${pt.label}`);
    }
    return;
  }
  if (fileName === 'weights.parquet' || fileName === 'final_weights.parquet') {
    // Rows by point in run.json's order; indices within their populations; finite weights; weight_recorder's
    // transmissions inside the run.
    const order = new Map(ctx.run.points.map((p, k) => [p.index, k]));
    let last = -1;
    for (let i = 0; i < got.rows; i++) {
      const k = order.get(d.point[i]);
      const ok = k !== undefined && k >= last && d.sender[i] >= 0 && d.target[i] >= 0 && Number.isFinite(d.weight[i]) &&
        (fileName === 'final_weights.parquet' || d.time_ms[i] > 0);
      if (!ok) { f.expect(false, `row ${i}: point ${d.point[i]}, sender ${d.sender[i]}, target ${d.target[i]}, weight ${d.weight[i]}`); break; }
      last = k;
    }
    f.expect(got.rows > 0, 'no rows');
    return;
  }
  if (fileName === 'structure.parquet') {
    // progress.json's batches hold the rows the Go side wrote, in the same order.
    const rows = ctx.progress.batches.flatMap((b) => b.structure ?? []).sort((a, b) => a.point - b.point);
    f.expect(got.rows === rows.length, `${got.rows} rows, progress.json has ${rows.length}`);
    for (let i = 0; i < Math.min(got.rows, rows.length); i++) {
      const r = rows[i];
      const same = d.point[i] === r.point && d.time_ms[i] === r.time_ms && d.quantity[i] === r.quantity &&
        d.population[i] === r.population && d.target[i] === (r.target ?? '') && d.name[i] === (r.name ?? '') && d.value[i] === r.value;
      if (!same) { f.expect(false, `row ${i}: ${d.point[i]} ${d.time_ms[i]} ${d.quantity[i]} ${d.value[i]}, progress.json's ${JSON.stringify(r)}`); break; }
    }
    return;
  }
  // spikes and state: rows per point and recorder as progress.json counted them.
  const kind = fileName === 'spikes.parquet' ? 'spikes' : 'state';
  const groups = groupRows(got.rows, (i) => `${d.point[i]}/${d.recorder[i]}`);
  const goTotal = sum(ctx.goRows[kind].values());
  f.expect(got.rows === goTotal, `${got.rows} rows, progress.json counted ${goTotal}`);
  for (const [key, want] of ctx.goRows[kind]) {
    const n = groups.get(key)?.length ?? 0;
    f.expect(n === want, `${key}: ${n} rows, progress.json counted ${want}`);
  }
  checkOrder(f, d, got.rows, groups, ctx, SCHEMA[fileName].recorders);
  for (const [key, rows] of groups) {
    const [point, name] = [Number(key.split('/')[0]), key.slice(key.indexOf('/') + 1)];
    const m = (k) => metaAt(kv, `recorder.${name}.${k}`, point);
    const [pop, neurons, start, stop, dt] = [m('population'), m('neurons'), m('start'), m('stop'), metaAt(kv, 'dt', point)];
    if (!f.expect(pop !== undefined && Array.isArray(neurons) && dt > 0, `${key}: the metadata does not describe recorder ${name} at point ${point}`)) continue;
    const bad = rows.find((i) => d.population[i] !== pop || !inRanges(neurons, d.neuron[i]) || !(d.time_ms[i] > start && d.time_ms[i] <= stop));
    f.expect(bad === undefined, `${key}: row ${bad} (${d.population[bad]}, neuron ${d.neuron[bad]}, ${d.time_ms[bad]} ms) is outside the recorder's population ${pop}, neurons ${JSON.stringify(neurons)} or window (${start}, ${stop}]`);
    const off = rows.find((i) => d.time_ms[i] !== gridTime(d.step[i], dt));
    f.expect(off === undefined, `${key}: time_ms ${d.time_ms[off]} in row ${off} is not step ${d.step[off]} · dt ${dt} as the grid's decimal (${gridTime(d.step[off] ?? 0, dt)})`);
    if (kind === 'state') {
      const times = new Set(rows.map((i) => d.time_ms[i]));
      const seen = new Set(rows.map((i) => d.neuron[i]));
      const nRec = m('n_rec');
      f.expect(rows.length === times.size * nRec && seen.size === nRec, `${key}: ${rows.length} samples of ${seen.size} neurons at ${times.size} times, expected every one of its ${nRec} neurons at each time`);
      const from = m('record_from') ?? [];
      for (const v of ctx.vars) {
        const wrong = rows.find((i) => (d[v][i] === null) === from.includes(v));
        f.expect(wrong === undefined, `${key}: ${v} is ${from.includes(v) ? 'null' : 'set'} in row ${wrong} (the recorder ${from.includes(v) ? 'records' : 'does not record'} it)`);
      }
    }
  }
  if (kind === 'spikes' && summary) checkRates(f, groups, d, kv, ctx, summary);
}

// Rows by point, then by population and recorder in config order (one block each), then by step.
function checkOrder(f, d, n, groups, ctx, model) {
  for (let i = 1; i < n; i++) {
    const same = d.point[i] === d.point[i - 1] && d.recorder[i] === d.recorder[i - 1];
    if (d.point[i] < d.point[i - 1] || (same && d.step[i] < d.step[i - 1])) { f.problem(`row ${i}: out of order (point ${d.point[i]}, ${d.recorder[i]}, step ${d.step[i]} after point ${d.point[i - 1]}, ${d.recorder[i - 1]}, step ${d.step[i - 1]})`); return; }
  }
  const blocks = [];
  for (let i = 0; i < n; i++) if (i === 0 || d.point[i] !== d.point[i - 1] || d.recorder[i] !== d.recorder[i - 1]) blocks.push(`${d.point[i]}/${d.recorder[i]}`);
  const want = [];
  for (const pt of ctx.run.points) {
    const pops = pt.network.populations.map((p) => p.name);
    const recs = pt.network.recorders.filter((r) => r.model === model).map((r, k) => [pops.indexOf(r.source), k, r.name]);
    recs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [, , name] of recs) if (groups.has(`${pt.index}/${name}`)) want.push(`${pt.index}/${name}`);
  }
  f.expect(blocks.join() === want.join(), `blocks of rows ${blocks.join(', ')}, expected ${want.join(', ')} (point, population, recorder order)`);
}

// The rate from spikes.parquet and its metadata alone against summary.parquet's rate_hz, wherever the
// metadata says a recorder saw every neuron of its population through the whole analysis window.
function checkRates(f, groups, d, kv, ctx, summary) {
  const s = summary.data;
  const names = [...kv.keys()].filter((k) => k.startsWith('recorder.') && k.endsWith('.population')).map((k) => k.slice(9, -11));
  for (let i = 0; i < summary.rows; i++) {
    const p = s.point[i];
    const tStart = metaAt(kv, 't_start', p), tSim = metaAt(kv, 't_sim', p);
    for (const name of names) {
      const m = (k) => metaAt(kv, `recorder.${name}.${k}`, p);
      if (m('population') !== s.population[i]) continue;
      // A node of gif_pop_psc_exp stands for N neurons, and n_rec counts nodes: N is not in the file.
      const pop = ctx.points.get(p).populations.find((q) => q.name === s.population[i]);
      const perNode = NEURONS_PER_NODE[pop.model]?.(pop) ?? 1;
      const nRec = m('n_rec') * perNode;
      const whole = nRec === s.n[i] && sameJSON(m('neurons'), [[0, m('n_rec') - 1]]) && m('start') <= tStart && m('stop') >= tSim;
      if (!whole) continue;
      const from = Math.max(tStart, m('start')), stop = m('stop');
      const count = (groups.get(`${p}/${name}`) ?? []).filter((r) => d.time_ms[r] > from && d.time_ms[r] <= stop).length;
      const rate = count / (nRec * (stop - from) / 1000);
      const diff = relDiff(rate, s.rate_hz[i]);
      f.rates++;
      if (perNode !== 1) f.ratesFromRunJSON++;
      const n = perNode === 1 ? `n_rec ${nRec}` : `n_rec ${m('n_rec')} × N ${perNode} from run.json`;
      f.expect(diff <= RATE_TOL, `${p}/${name}: rate from spikes.parquet ${rate} Hz (${count} spikes, ${n}, ${from}–${stop} ms), summary's rate_hz ${s.rate_hz[i]} (relative difference ${diff.toExponential(2)})`);
    }
  }
}

// inspect's tables: the edges against connectivity.parquet; delays that are grid decimals.
function checkInspectFile(f, fileName, got, ctx) {
  if (fileName !== 'edges.parquet' || !ctx.conn) return;
  const d = got.data, c = ctx.conn.data;
  const groups = groupRows(got.rows, (i) => d.projection[i]);
  f.expect(groups.size <= ctx.conn.rows, `${groups.size} projections in edges, ${ctx.conn.rows} rows in connectivity.parquet`);
  for (let k = 0; k < ctx.conn.rows; k++) {
    const rows = groups.get(c.projection[k]) ?? [];
    f.expect(rows.length === Number(c.synapses[k]), `${c.projection[k]}: ${rows.length} edges, connectivity.parquet says ${c.synapses[k]} synapses`);
    const autapses = c.source[k] === c.target[k] ? rows.filter((i) => d.source[i] === d.target[i]).length : 0;
    f.expect(autapses === Number(c.autapses[k]), `${c.projection[k]}: ${autapses} autapses in edges, connectivity.parquet says ${c.autapses[k]}`);
  }
  const off = d.delay_ms.findIndex((x) => significantDigits(x) > GRID_DIGITS);
  f.expect(off < 0, `delay_ms ${d.delay_ms[off]} in row ${off} is not a grid's decimal`);
}

// Every value of got equals ref's (the first reader that read the file).
function sameValues(f, got, ref, refName) {
  if (!f.expect(got.rows === ref.rows, `${got.rows} rows, ${refName} read ${ref.rows}`)) return;
  for (const name of Object.keys(ref.data)) {
    const a = got.data[name], b = ref.data[name];
    if (!a) continue;
    for (let i = 0; i < b.length; i++) {
      if (canon(a[i]) !== canon(b[i])) { f.problem(`column ${name}, row ${i}: ${canon(a[i])}, ${refName} read ${canon(b[i])}`); break; }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The NEST view (docs/outputs.md#nest-view), read as text, against spikes.parquet (as ref read it).

function checkNest(f, dir, ctx, spikes) {
  const root = join(dir, 'nest');
  const d = spikes?.data;
  const groups = spikes ? groupRows(spikes.rows, (i) => `${d.point[i]}/${d.recorder[i]}`) : new Map();
  const expected = new Set();
  let rows = 0;
  const read = (name) => { expected.add(name); const p = join(root, name); return existsSync(p) ? readFileSync(p, 'utf8') : null; };
  for (const pt of ctx.run.points) {
    const net = pt.network, folder = `p${pt.index}`;
    // NEST's ids: the populations, then the devices, then the recorders, in config order, from 1.
    const nodes = [
      ...net.populations.map((p) => ['population', p.name, p.n]),
      ...net.devices.map((v) => ['device', v.name, v.n]),
      ...net.recorders.map((r) => ['recorder', r.name, 1]),
    ];
    let next = 1;
    const want = ['kind,name,first_id,last_id', ...nodes.map(([kind, name, n]) => `${kind},${name},${next},${(next += n) - 1}`)];
    const csvName = join(folder, 'nodes.csv');
    const csv = read(csvName);
    if (!f.expect(csv !== null, `nest/${csvName}: missing`)) continue;
    const lines = csv.split('\n');
    const bad = want.findIndex((l, k) => lines[k] !== l);
    f.expect(bad < 0 && lines.length === want.length + 1 && lines.at(-1) === '', `nest/${csvName}: line ${bad + 1} ${JSON.stringify(lines[bad])}, expected ${JSON.stringify(want[bad])}`);
    // The ids as nodes.csv gives them: what a NEST script's user maps senders back with.
    const ids = new Map(lines.slice(1).filter(Boolean).map((l) => l.split(',')).map(([kind, name, first]) => [`${kind}/${name}`, Number(first)]));
    for (const r of net.recorders.filter((x) => x.model === 'spike_recorder')) {
      const first = ids.get(`population/${r.source}`);
      const datName = join(folder, `${r.name}-${ids.get(`recorder/${r.name}`)}-0.dat`);
      const text = read(datName);
      if (!f.expect(text !== null, `nest/${datName}: missing`)) continue;
      const [c1, c2, header, ...body] = text.split('\n');
      f.expect(c1.startsWith('# ') && c2.startsWith('# ') && header === 'sender\ttime_ms' && body.at(-1) === '', `nest/${datName}: not two comment lines, "sender<TAB>time_ms" and rows ending in a newline`);
      const data = body.filter(Boolean);
      const ix = groups.get(`${pt.index}/${r.name}`) ?? [];
      rows += data.length;
      f.expect(data.length === ix.length, `nest/${datName}: ${data.length} rows, spikes.parquet has ${ix.length}`);
      const k = data.findIndex((line, k) => {
        const i = ix[k];
        return i === undefined || line !== `${first + d.neuron[i]}\t${d.time_ms[i]}`;
      });
      if (k >= 0 && k < ix.length) {
        const [sender, time] = data[k].split('\t');
        const i = ix[k];
        f.problem(`nest/${datName}: row ${k + 1} "${sender} ${time}" is neuron ${sender - first} of ${r.source} (first id ${first} in nodes.csv) at ${time} ms; spikes.parquet has neuron ${d.neuron[i]} at ${d.time_ms[i]} ms`);
      }
    }
  }
  const present = existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath ?? e.path, e.name))) : [];
  for (const p of present) f.expect(expected.has(p), `nest/${p}: not a file of the NEST view`);
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// The CSV view (docs/outputs.md#csv), against each table as the first reader that read it.

const csvName = (table) => table.replace(/\.parquet$/, '.csv');
const needsQuotes = (s) => /[,"\r\n]/.test(s);

// The CSV text as docs/outputs.md promises it (RFC 4180, lines ended by LF): { rows: [{fields, quoted}] },
// or { error } at the first departure.
function parseCSV(text) {
  const rows = [];
  let i = 0;
  while (i < text.length) {
    const fields = [], quoted = [];
    for (;;) {
      let v = '';
      const q = text[i] === '"';
      if (q) {
        for (i++; ; ) {
          if (i >= text.length) return { error: `line ${rows.length + 1}: a quoted field without its closing quote` };
          if (text[i] === '"' && text[i + 1] === '"') { v += '"'; i += 2; } else if (text[i] === '"') { i++; break; } else v += text[i++];
        }
      } else {
        let j = i;
        while (j < text.length && !',\n\r"'.includes(text[j])) j++;
        v = text.slice(i, j);
        i = j;
      }
      fields.push(v);
      quoted.push(q);
      if (text[i] === ',') { i++; continue; }
      if (text[i] === '\n') { i++; break; }
      const what = i >= text.length ? 'the end of the file without a line end' : text[i] === '\r' ? 'a CR (lines end in LF)' : `${JSON.stringify(text[i])} inside a field`;
      return { error: `line ${rows.length + 1}, field ${fields.length}: ${what}` };
    }
    rows.push({ fields, quoted });
  }
  return { rows };
}

// Whether a CSV field is the text of the table's value v of type: numbers as JavaScript writes them (what
// the writer writes: ECMAScript's Number::toString, -0 as -0), a float32 column's value by its float32,
// NULL as an empty field.
function csvMatches(field, v, type) {
  if (v === null || v === undefined) return field === '';
  if (type === 'float32') return field !== '' && Math.fround(Number(field)) === v;
  if (type === 'float64') return field === (Object.is(v, -0) ? '-0' : String(v));
  return field === String(v);
}

// The CSV file read as text against the table; returns its rows.
function checkCSVText(f, text, table) {
  const { rows, error } = parseCSV(text);
  if (!f.expect(!error, error)) return 0;
  if (!f.expect(rows.length > 0, 'no header line')) return 0;
  const [head, ...body] = rows;
  const names = table.columns.map((c) => c.name);
  f.expect(JSON.stringify(head.fields) === JSON.stringify(names), `header ${head.fields.join(',')}, the table's columns ${names.join(',')}`);
  f.expect(body.length === table.rows, `${body.length} rows, the table has ${table.rows}`);
  for (const [i, r] of [head, ...body].entries()) {
    const line = i + 1;
    if (!f.expect(r.fields.length === names.length, `line ${line}: ${r.fields.length} fields, expected ${names.length}`)) return body.length;
    const k = r.fields.findIndex((field, k) => r.quoted[k] !== needsQuotes(field));
    if (!f.expect(k < 0, `line ${line}, column ${names[k]}: ${JSON.stringify(r.fields[k])} ${r.quoted[k] ? 'quoted, which it does not need' : 'needs quotes'}`)) return body.length;
    if (i === 0 || i > table.rows) continue;
    const c = table.columns.findIndex(({ name, type }, k) => !csvMatches(r.fields[k], table.data[name][i - 1], type));
    if (!f.expect(c < 0, `line ${line}, column ${names[c]}: ${JSON.stringify(r.fields[c])}, the table has ${canon(table.data[names[c]]?.[i - 1])}`)) return body.length;
  }
  return body.length;
}

// The CSV file as a CSV reader read it (got) against the table: the columns, the rows, and every value
// (numbers as numbers, whatever type the reader sniffed; NULL where the table has NULL or an empty name).
function checkCSVReader(f, got, table) {
  const names = table.columns.map((c) => c.name);
  f.expect(JSON.stringify(got.columns.map((c) => c.name)) === JSON.stringify(names), `columns ${got.columns.map((c) => c.name).join(',')}, the table's ${names.join(',')}`);
  if (!f.expect(got.rows === table.rows, `${got.rows} rows, the table has ${table.rows}`)) return;
  for (const { name, type } of table.columns) {
    const a = got.data[name], b = table.data[name];
    if (!a) continue;
    const gotType = got.columns.find((c) => c.name === name).type;
    const numeric = (t) => /^(int|float)/.test(t);
    if (b.some((v) => v !== null && v !== undefined && v !== '')) f.expect(numeric(type) === numeric(gotType), `column ${name}: read as ${gotType}, the table's is ${type}`);
    const i = b.findIndex((v, i) => {
      const x = a[i];
      if (v === null || v === undefined || v === '') return x !== null;
      if (type === 'string') return x !== v;
      return x === null || (type === 'float32' ? Math.fround(Number(x)) : Number(x)) !== Number(v);
    });
    f.expect(i < 0, `column ${name}, row ${i}: ${canon(a[i])}, the table has ${canon(b[i])}`);
  }
}

// The CSV view of a folder's tables (the first reader's decoding of each, by name).
async function checkCSVFiles(dir, ctx, tables) {
  for (const name of RUN_FILES) {
    const csv = csvName(name), path = join(dir, csv);
    const want = ctx.want.csv && ctx.want[name];
    const present = existsSync(path);
    if (present && !want) unexpected.push(`${path}: written although the run did not ask for the CSV view or has no ${name}`);
    else if (!present && want) unexpected.push(`${path}: missing`);
    const table = tables[name];
    if (!present || !table) continue;
    const f = new Findings(label(dir, csv));
    const t0 = Date.now();
    let rows = 0;
    try { rows = checkCSVText(f, readFileSync(path, 'utf8'), table); } catch (e) { f.problem(`the check stopped: ${e.stack}`); }
    record(f.file, 'text', f, `${rows} rows against ${name}`, Date.now() - t0);
    for (const r of CSV_READER_NAMES) {
      const g = new Findings(label(dir, csv));
      const t1 = Date.now();
      let got;
      try { got = await processes[r].open(path); } catch (e) { g.problem(`cannot read: ${e.message.split('\n')[0]}`); }
      if (got) {
        try { checkCSVReader(g, got, table); } catch (e) { g.problem(`the check stopped: ${e.stack}`); }
      }
      record(g.file, r.replace(/-csv$/, ''), g, got && `${got.rows} rows, ${got.columns.length} columns against ${name}`, Date.now() - t1);
    }
  }
}

// ---------------------------------------------------------------------------------------------------

const label = (dir, name) => `${basename(dir)}/${name}`;
const results = []; // {file, reader, status: 'ok'|'FAIL', problems}
const unexpected = [];

async function checkFolder(dir) {
  const isRun = existsSync(join(dir, 'run.json'));
  if (!isRun && !existsSync(join(dir, 'connectivity.parquet'))) {
    unexpected.push(`${dir}: neither a run's folder (run.json) nor inspect's (connectivity.parquet)`);
    return;
  }
  const ctx = isRun ? runContext(dir) : { swept: [], vars: [], labels: false, want: { 'connectivity.parquet': true, 'edges.parquet': false } };
  const files = [];
  for (const name of isRun ? RUN_FILES : INSPECT_FILES) {
    const present = existsSync(join(dir, name));
    if (present && isRun && !ctx.want[name]) unexpected.push(`${join(dir, name)}: written although the run has no ${SCHEMA[name].recorders} or does not record its table`);
    else if (!present && ctx.want[name]) unexpected.push(`${join(dir, name)}: missing`);
    if (present) files.push(name);
  }
  const byReader = {}; // reader -> file -> decoded
  for (const name of files) {
    const path = join(dir, name);
    const file = label(dir, name);
    const gots = {}, times = {}, errors = {};
    for (const r of READER_NAMES) {
      const t0 = Date.now();
      try { gots[r] = await processes[r].open(path); } catch (e) { errors[r] = e.message.split('\n')[0]; }
      times[r] = Date.now() - t0;
    }
    const refName = READER_NAMES.find((r) => gots[r]);
    const kv = READER_NAMES.map((r) => gots[r]?.kv).find(Boolean) ?? null;
    if (name === 'connectivity.parquet') ctx.conn = gots[refName];
    if (name === 'edges.parquet' && ctx.conn) {
      const units = new Set(ctx.conn.data.weight_unit);
      ctx.weightUnit = units.size === 1 ? [...units][0] ?? undefined : undefined;
    }
    const want = expectedColumns(name, ctx);
    for (const d of KNOWN_DEFECTS) if (d.applies(name, ctx)) defectApplied.set(d, defectApplied.get(d) + 1);
    for (const r of READER_NAMES) {
      const f = new Findings(file);
      const got = gots[r];
      if (!got) f.problem(`cannot read: ${errors[r]}`);
      else {
        try {
          checkColumns(f, got.columns, want);
          if (got.root !== undefined) f.expect(got.root === 'REQUIRED', `schema root ${got.root}, expected REQUIRED (the root has no repetition in the Parquet spec)`);
          checkChunks(f, got, want);
          checkNulls(f, got, want);
          if (got.kv) checkMetadata(f, got.kv, name, want, ctx);
          if (isRun) checkRunFile(f, name, got, kv, ctx, byReader[r]?.['summary.parquet']);
          else checkInspectFile(f, name, got, ctx);
          if (r !== refName) sameValues(f, got, gots[refName], refName);
        } catch (e) {
          f.problem(`the check stopped: ${e.stack}`);
        }
        (byReader[r] ??= {})[name] = got;
      }
      record(file, r, f, got && `${got.rows} rows, ${got.columns.length} columns`, times[r]);
    }
  }
  if (isRun) {
    const tables = Object.fromEntries(files.map((name) => [name, READER_NAMES.map((r) => byReader[r]?.[name]).find(Boolean)]));
    await checkCSVFiles(dir, ctx, tables);
    for (const p of checkBatches(ctx.run)) unexpected.push(`${join(dir, 'run.json')}: ${p}`);
  }
  const nest = isRun && existsSync(join(dir, 'nest'));
  if (nest && !ctx.want.nest) unexpected.push(`${join(dir, 'nest')}: written although the run did not ask for the NEST view`);
  else if (!nest && ctx.want?.nest) unexpected.push(`${join(dir, 'nest')}: missing`);
  if (nest) {
    const f = new Findings(label(dir, 'nest/'));
    const spikes = READER_NAMES.map((r) => byReader[r]?.['spikes.parquet']).find(Boolean);
    const t0 = Date.now();
    let rows = 0;
    try { rows = checkNest(f, dir, ctx, spikes); } catch (e) { f.problem(`the check stopped: ${e.stack}`); }
    record(f.file, 'text', f, `${rows} rows against spikes.parquet`, Date.now() - t0);
  }
}

function record(file, reader, f, what, ms) {
  const status = f.problems.length ? 'FAIL' : 'ok';
  results.push({ file, reader, status, problems: f.problems });
  const rates = f.rates && `${f.rates} rates checked${f.ratesFromRunJSON ? ` (${f.ratesFromRunJSON} with run.json's N: gif_pop_psc_exp)` : ''}`;
  console.log(`${file.padEnd(44)} ${reader.padEnd(10)} ${status} (${[what, rates, `${ms} ms`].filter(Boolean).join(', ')})`);
  for (const p of f.problems.slice(0, 8)) console.log(`    ${p}`);
  if (f.problems.length > 8) console.log(`    … and ${f.problems.length - 8} more`);
}

const dirs = process.argv.slice(2);
if (!dirs.length) {
  console.error('usage: node check.mjs DIR...  (output folders of snn-gpu run/sweep/inspect)');
  process.exit(2);
}
const processes = Object.fromEntries([...READER_NAMES, ...CSV_READER_NAMES].map((r) => [r, new ReaderProcess(r)]));
for (const dir of dirs) await checkFolder(dir);
for (const p of Object.values(processes)) p.close();

// The matrix, the known defects, and the verdict.
const readers = [...new Set(results.map((r) => r.reader))];
const files = [...new Set(results.map((r) => r.file))];
console.log(`\n${'file'.padEnd(44)} ${readers.map((r) => r.padEnd(10)).join(' ')}`);
for (const file of files) {
  console.log(`${file.padEnd(44)} ${readers.map((r) => (results.find((x) => x.file === file && x.reader === r)?.status ?? '-').padEnd(10)).join(' ')}`);
}
for (const [d, hits] of defectHits) {
  if (hits.size) {
    const [file, msg] = [...hits][0];
    console.log(`\nKnown writer defect, not failed (${hits.size} files): ${d.what}\n  e.g. ${file}: ${msg}`);
  } else if (defectApplied.get(d)) {
    unexpected.push(`no file shows the known defect any more: remove it from KNOWN_DEFECTS in ${basename(import.meta.url)}: ${d.what}`);
  }
}
for (const u of unexpected) console.log(`FAIL ${u}`);
const passed = results.filter((r) => r.status === 'ok').length;
const failed = results.length - passed + unexpected.length;
console.log(`readers: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
