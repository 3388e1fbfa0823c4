// The seven figures in DuckDB, for the indicators benchmark (docs/performance.md). A benchmark
// tool only, never a product dependency: `npm ci` in bench/duckdb/ installs @duckdb/node-api.
//
//   node bench/duckdb/seven_figures.mjs build CSV_DIR DUCKDB_FILE
//       Builds DUCKDB_FILE from the import files `clusterscope generate` writes (zones, clusters,
//       firms, members, reports .csv), converted as clusterscope's importer stores them: money
//       千元 → fen integers (× 100,000, exact: at most three decimals), an empty `producing`
//       → 1 (yes), empty cells → NULL. Not part of any timing but its own.
//   node bench/duckdb/seven_figures.mjs query DUCKDB_FILE [--runs N] [--dump FILE] [--threads N]
//       Cold: this fresh process opens the file and runs bench/seven_figures_sqlite.sql (the same
//       SQL text SQLite runs) once; warm: runs it N more times (default 3) on the same connection
//       and reports each and the best. --threads N caps DuckDB's threads (default: one per
//       core). Prints the QH-BIO 2014 row and, last, a "summary: key=value …" line that
//       bench/indicators_vs_sql.sh reads.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const SQL_FILE = join(here, '..', 'seven_figures_sqlite.sql');
const SEVEN = [
  'firm_count', 'zone_producing_firm_share', 'gross_output', 'gross_output_growth',
  'zone_gross_output_share', 'leading_industry_va_share', 'firms_output_over_100m',
];

function statusKb(key) {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(key));
  return line ? parseInt(line.slice(key.length), 10) : -1;
}

// The reports columns in file order; money in 千元 in the files, fen in the database.
const MONEY = new Set([
  'revenue', 'gross_output', 'value_added', 'net_profit', 'taxes_paid', 'exports', 'total_assets',
  'total_liabilities', 'rd_expense', 'rd_expense_domestic', 'total_cost', 'high_tech_revenue',
  'vc_investment', 'new_loans',
]);
const REPORT_COLUMNS = [
  'uscc', 'year', 'producing', 'revenue', 'gross_output', 'value_added', 'net_profit', 'taxes_paid', 'exports',
  'total_assets', 'total_liabilities', 'employees', 'tech_staff', 'rd_staff', 'college_staff', 'masters', 'phds',
  'returnees', 'rd_expense', 'rd_expense_domestic', 'total_cost', 'high_tech_revenue', 'patent_applications',
  'invention_applications', 'patent_grants', 'invention_grants', 'valid_invention_patents', 'ip_class1', 'ip_class2',
  'vc_investment', 'new_loans', 'provincial_rd_institution', 'major_incident', 'national_award_5y',
  'standard_lead_5y',
];

async function build(csvDir, file) {
  for (const f of [file, `${file}.wal`]) if (existsSync(f)) rmSync(f);
  const t0 = performance.now();
  const db = await DuckDBInstance.create(file);
  const c = await db.connect();
  const csv = (name, types) =>
    `read_csv('${join(csvDir, name)}', header = true, delim = ',', quote = '"', auto_detect = false, ` +
    `columns = {${Object.entries(types).map(([k, v]) => `'${k}': '${v}'`).join(', ')}})`;
  // The same tables and key columns as docs/storage.md (keys enforced as in the SQLite schema).
  await c.run(`CREATE TABLE zones AS SELECT * FROM ${csv('zones.csv', {
    zone_id: 'VARCHAR', name: 'VARCHAR', region_code: 'VARCHAR', level: 'VARCHAR', name_en: 'VARCHAR' })}`);
  await c.run(`CREATE TABLE clusters AS SELECT * FROM ${csv('clusters.csv', {
    cluster_id: 'VARCHAR', name: 'VARCHAR', zone_id: 'VARCHAR', leading_industries: 'VARCHAR',
    construction_body: 'VARCHAR', alliance: 'VARCHAR', recognised_year: 'BIGINT', name_en: 'VARCHAR' })}`);
  await c.run(`CREATE TABLE firms AS SELECT * FROM ${csv('firms.csv', {
    uscc: 'VARCHAR', name: 'VARCHAR', region_code: 'VARCHAR', zone_id: 'VARCHAR', industry_code: 'VARCHAR',
    founded: 'VARCHAR', high_tech_cert_year: 'BIGINT', listed: 'BIGINT', lat: 'DOUBLE', lon: 'DOUBLE' })}`);
  await c.run(`CREATE TABLE members AS SELECT * FROM ${csv('members.csv', {
    cluster_id: 'VARCHAR', uscc: 'VARCHAR', from_year: 'BIGINT', to_year: 'BIGINT', role: 'VARCHAR' })}`);
  const types = {};
  for (const col of REPORT_COLUMNS) {
    types[col] = col === 'uscc' ? 'VARCHAR' : MONEY.has(col) ? 'DECIMAL(18,3)' : 'BIGINT';
  }
  const select = REPORT_COLUMNS.map((col) => {
    if (col === 'producing') return 'coalesce(producing, 1) AS producing';
    if (MONEY.has(col)) return `CAST(${col} * 100000 AS BIGINT) AS ${col}`;
    return col;
  }).join(', ');
  await c.run(`CREATE TABLE reports AS SELECT ${select} FROM ${csv('reports.csv', types)} ORDER BY uscc, year`);
  for (const [t, key] of [['zones', 'zone_id'], ['clusters', 'cluster_id'], ['firms', 'uscc'],
    ['members', 'cluster_id, uscc, from_year'], ['reports', 'uscc, year']]) {
    await c.run(`ALTER TABLE ${t} ADD PRIMARY KEY (${key})`);
  }
  await c.run('CHECKPOINT');
  const counts = (await c.runAndReadAll(
    `SELECT (SELECT count(*) FROM firms) AS firms, (SELECT count(*) FROM members) AS members,
            (SELECT count(*) FROM reports) AS reports`)).getRowObjects()[0];
  c.closeSync();
  db.closeSync();
  const s = (performance.now() - t0) / 1000;
  console.log(`built ${file} from ${csvDir} in ${s.toFixed(1)} s: ${counts.firms} firms, ${counts.members} ` +
    `memberships, ${counts.reports} reports; VmHWM ${statusKb('VmHWM:')} KB`);
}

function cell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) > 1 ? v.toString() : String(v);
  return String(v);
}

async function query(file, runs, dump, threads) {
  const sql = readFileSync(SQL_FILE, 'utf8');
  const t0 = performance.now();
  const options = { access_mode: 'READ_ONLY' };
  if (threads) options.threads = String(threads);
  const db = await DuckDBInstance.create(file, options);
  const c = await db.connect();
  const t1 = performance.now();
  let reader = await c.runAndReadAll(sql);
  const t2 = performance.now();
  const coldHwm = statusKb('VmHWM:');
  const rows = reader.getRows();
  const names = reader.columnNames();
  const used = (await c.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjects()[0].t;
  console.log(`duckdb            ${file}, ${used} threads`);
  console.log(`open              ${((t1 - t0) / 1000).toFixed(3)} s`);
  console.log(`cold query        ${((t2 - t1) / 1000).toFixed(3)} s   ${rows.length} rows   (open + query ` +
    `${((t2 - t0) / 1000).toFixed(3)} s; process start to result ${(t2 / 1000).toFixed(3)} s)   VmHWM ${coldHwm} KB`);
  let best = Infinity;
  for (let r = 0; r < runs; ++r) {
    const a = performance.now();
    reader = await c.runAndReadAll(sql);
    const b = performance.now();
    best = Math.min(best, (b - a) / 1000);
    console.log(`  warm run ${r + 1}      ${((b - a) / 1000).toFixed(3)} s   ${reader.currentRowCount} rows`);
  }
  const endHwm = statusKb('VmHWM:');
  console.log(`  best            ${best.toFixed(3)} s   VmHWM ${endHwm} KB`);
  const lines = rows.map((row) => row.map(cell).join(','));
  const probe = lines.find((l) => l.startsWith('QH-BIO,2014,')) ?? lines[lines.length - 1];
  console.log(`probe             ${names.join(',')}`);
  console.log(`                  ${probe}`);
  if (dump) {
    writeFileSync(dump, `${['cluster_id', 'year', ...SEVEN].join(',')}\n${lines.join('\n')}\n`);
    console.log(`dumped            ${dump}`);
  }
  c.closeSync();
  db.closeSync();
  console.log(`summary: open_s=${((t1 - t0) / 1000).toFixed(3)} cold_query_s=${((t2 - t1) / 1000).toFixed(3)} ` +
    `cold_s=${((t2 - t0) / 1000).toFixed(3)} process_to_result_s=${(t2 / 1000).toFixed(3)} ` +
    `warm_best_s=${best.toFixed(3)} rows=${rows.length} cold_hwm_kb=${coldHwm} end_hwm_kb=${endHwm} threads=${used}`);
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'build' && args.length === 2) {
  await build(args[0], args[1]);
} else if (mode === 'query' && args.length >= 1) {
  let runs = 3;
  let dump = null;
  let threads = null;
  for (let i = 1; i < args.length; ++i) {
    if (args[i] === '--runs') runs = Math.max(1, parseInt(args[++i], 10));
    else if (args[i] === '--dump') dump = args[++i];
    else if (args[i] === '--threads') threads = parseInt(args[++i], 10);
    else throw new Error(`unknown argument ${args[i]}`);
  }
  await query(args[0], runs, dump, threads);
} else {
  console.error('usage: seven_figures.mjs build CSV_DIR DUCKDB_FILE | query DUCKDB_FILE [--runs N] [--dump FILE] [--threads N]');
  process.exit(2);
}
