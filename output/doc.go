// Package output writes one run's output folder: Parquet tables (Arrow v15)
// and JSON, atomically, and resumable after a crash.
//
// # Folder
//
//	.lock            held (flock) by the process that writes the folder; its PID
//	progress.json    the run's hash, swept names, options and committed batches
//	                 (with their Layouts);
//	                 once finished, the size and SHA-256 of every final file
//	.parts/          part files of the committed batches (until Finish)
//	summary.parquet  one row per point × population          (Finish)
//	spikes.parquet   one row per recorded spike               (Finish, Options.Spikes, a spike_recorder)
//	state.parquet    one row per multimeter sample            (Finish, Options.State, a multimeter)
//	*.csv            each table as CSV too                    (Finish, Options.CSV; csv.go)
//	nest/            the spikes as NEST's text files          (Finish, Options.NEST; nest.go)
//	run.json         what Finish is given: config, versions, machine, …
//
// # Tables
//
// docs/outputs.md describes every column, unit and metadata key for users;
// in short:
//
// summary.parquet: point (int32), one float64 column per swept name (in
// order), label (only if some point has a label), population, n (int32),
// rate_hz, cv_isi, fano, peak_hz, peak_power (float64, NULL where the
// statistic does not exist), synapses (int64), backend: what the run
// computed, nothing it measured or how it split the points into batches,
// so that a rerun, another batch size or a sharded sweep writes the same
// bytes (the batches and their wall times are in progress.json,
// Dir.Batches).
//
// spikes.parquet: point (int32), population, recorder, neuron (int32),
// time_ms (float64), step (int64). state.parquet: the same, then one
// nullable float32 column per state variable (the union over the batches;
// a sample that does not record a variable has a null there).
//
// time_ms is step·dt to the decimals of dt (grid.go). Columns of names
// (population, recorder, label, backend, and inspect's projection, source,
// target, rule, weight_unit) are Arrow dictionaries of strings, stored
// dictionary-encoded. Every file stores its Arrow schema
// (pqarrow.WithStoreSchema), whose fields carry their units (metadata key
// "unit"), and marks the Parquet schema root REQUIRED, as the spec wants
// (Arrow Go's REPEATED confuses readers). The key-value metadata (meta.go)
// holds snn.hash (the run's hash), snn.seed, dt, t_sim, t_start, the
// recorders of the table (population, n_rec, neurons as ranges, window),
// units (the fields' units as JSON) and, in the summary, snn.swept and
// bin_ms: what the Layouts of the batches say, one value when the points
// agree, else an object from point to value. Rows are ordered by point,
// then by the population order in which AddSummary gave the point's rows,
// then, for spikes and samples, by recorder (the Layout's order), then in
// the order they were added, which must be time order within a point's
// recorder (the order a backend produces them).
//
// # One writer
//
// Open takes an exclusive flock on .lock for the Dir's life; another Open
// of the folder fails with "DIR is in use by process N" before it reads or
// removes anything. A new run writes its identity (hash, swept names,
// options) to progress.json before its first batch, so that another run is
// refused there even after this one was killed. Close removes a folder
// that Open created and in which nothing was committed.
//
// # Atomicity and resume
//
// Every file is written under a temporary name (*.tmp) in its final folder,
// synced, and renamed once complete; a final table never exists half
// written. A batch writes its part files in .parts (one per point and
// population for spikes and state, so that the merge is a concatenation in
// order; one per batch for the summary), renames them when complete, and
// only then records the batch in progress.json (itself replaced by rename).
// The next Open with the same hash trusts exactly the batches progress.json
// lists: it removes the part files no committed batch claims (a batch cut
// short) and stray temporary files, and Done reports the committed points.
// Finish merges the parts with streaming reads (one record batch of one part
// at a time), writes run.json, records the size and SHA-256 of the final
// files, marks the run finished in progress.json and removes .parts. Open
// of a finished run checks the final files against those checksums and
// refuses a folder whose files were deleted or changed (or that lost
// progress.json), naming the file, rather than report its points done.
//
// Sharded runs use one folder each.
//
// # Cost
//
// AddSpike appends to two slices (neuron and step; no allocation per call)
// and, every 8192 rows, hands a record to the part's Parquet writer (WriteBuffered, row
// groups of 128 Ki rows, Snappy: the parts are read once). Memory per
// recorded population of a point in an open batch: the 8192-row buffer plus
// the part's current row group, compressed.
package output
