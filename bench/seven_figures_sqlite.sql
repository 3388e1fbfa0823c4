-- The survey report's seven figures for every cluster and every report year, as plain SQL on a
-- clusterscope SQLite database (docs/storage.md): the SQL side of the indicators benchmark
-- (bench/indicators_vs_sql.sh, docs/performance.md). Same definitions as docs/indicators.md:
--
--   a cluster's firms in Y: membership covers Y (from_year <= Y <= to_year, to_year NULL = still a
--     member) and a report exists for Y; a firm counted once however many of its memberships cover Y
--   a zone's firms in Y: firms.zone_id = the zone and a report for Y
--   totals sum the firms that reported the field; a value that cannot be computed is NULL
--   leading industry: the firm's industry_code starts with one of the cluster's ';'-separated
--     leading_industries (codes are 2-4 digits and industry codes 4, so testing the firm's 2-, 3-
--     and 4-digit prefixes against the list is the prefix rule)
--   output >= 100 million yuan: gross_output >= 10,000,000,000 fen
--
-- The same text runs unchanged in DuckDB (bench/duckdb/seven_figures.mjs reads this file).
--
-- Output: cluster_id, year and the seven figures, one row per cluster x year (years = those with
-- reports), ordered by cluster_id, year; money in fen, shares and growth as fractions.
--   sqlite3 -csv -header DB < bench/seven_figures_sqlite.sql
WITH
-- Every report with its firm's zone, per zone and year (firms outside any zone: zone_id NULL).
zall AS (
  SELECT f.zone_id AS zone_id, r.year AS year,
         sum(r.producing) AS producing,
         sum(r.gross_output) AS go, count(r.gross_output) AS go_n
  FROM reports r JOIN firms f ON f.uscc = r.uscc
  GROUP BY f.zone_id, r.year),
years AS (SELECT DISTINCT year FROM zall),
-- Cluster members that filed a report for the year.
mf AS (
  SELECT DISTINCT m.cluster_id AS cluster_id, r.uscc AS uscc, r.year AS year
  FROM members m JOIN reports r
    ON r.uscc = m.uscc AND r.year >= m.from_year AND (m.to_year IS NULL OR r.year <= m.to_year)),
cagg AS (
  SELECT mf.cluster_id AS cluster_id, mf.year AS year, count(*) AS n,
         sum(r.producing) AS producing,
         sum(r.gross_output) AS go, count(r.gross_output) AS go_n,
         sum(CASE WHEN r.gross_output >= 10000000000 THEN 1 ELSE 0 END) AS over100m,
         sum(r.value_added) AS va, count(r.value_added) AS va_n,
         sum(CASE WHEN instr(';' || c.leading_industries || ';', ';' || substr(f.industry_code, 1, 2) || ';') > 0
                    OR instr(';' || c.leading_industries || ';', ';' || substr(f.industry_code, 1, 3) || ';') > 0
                    OR instr(';' || c.leading_industries || ';', ';' || substr(f.industry_code, 1, 4) || ';') > 0
                  THEN r.value_added ELSE 0 END) AS va_lead
  FROM mf
    JOIN reports r ON r.uscc = mf.uscc AND r.year = mf.year
    JOIN firms f ON f.uscc = mf.uscc
    JOIN clusters c ON c.cluster_id = mf.cluster_id
  GROUP BY mf.cluster_id, mf.year)
SELECT
  c.cluster_id AS cluster_id,
  y.year AS year,
  coalesce(a.n, 0) AS firm_count,
  CASE WHEN a.n > 0 AND z.producing > 0 THEN CAST(a.producing AS DOUBLE) / z.producing END AS zone_producing_firm_share,
  CASE WHEN a.n > 0 AND a.go_n > 0 THEN a.go END AS gross_output,
  CASE WHEN a.n > 0 AND a.go_n > 0 AND p.n > 0 AND p.go_n > 0 AND p.go <> 0
       THEN CAST(a.go AS DOUBLE) / p.go - 1.0 END AS gross_output_growth,
  CASE WHEN a.n > 0 AND a.go_n > 0 AND z.go_n > 0 AND z.go <> 0 THEN CAST(a.go AS DOUBLE) / z.go END AS zone_gross_output_share,
  CASE WHEN a.n > 0 AND a.va_n > 0 AND a.va <> 0 THEN CAST(a.va_lead AS DOUBLE) / a.va END AS leading_industry_va_share,
  CASE WHEN a.n > 0 AND a.go_n > 0 THEN a.over100m END AS firms_output_over_100m
FROM clusters c
  CROSS JOIN years y
  LEFT JOIN cagg a ON a.cluster_id = c.cluster_id AND a.year = y.year
  LEFT JOIN cagg p ON p.cluster_id = c.cluster_id AND p.year = y.year - 1
  LEFT JOIN zall z ON z.zone_id = c.zone_id AND z.year = y.year
ORDER BY c.cluster_id, y.year;
