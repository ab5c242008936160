/**
 * Deterministic synthetic workspace for the index benchmark, shaped like a real analytics repo: mostly SQL
 * (15% DDL, 40% dbt models, 25% ad-hoc queries), 10% dbt YAML, and a 10% minority of PHP/Python app code in which
 * only some files hold an int→label map (a status switch, a class-constant block or an IntEnum), as legacy code does.
 * About 10 KB per file on average. Usage: node --import tsx bench/index/generate.ts <files> <dir>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { mulberry32 } from '../../test/unit/prng';

const WORDS = ['customer', 'order', 'vendor', 'sku', 'shipment', 'invoice', 'payment', 'region', 'store', 'carrier', 'product', 'account', 'event', 'session', 'campaign'];
const TYPES = ['INTEGER', 'BIGINT', 'VARCHAR(256)', 'NUMERIC(12,2)', 'TIMESTAMP', 'DATE', 'BOOLEAN', 'CHAR(2)'];

/** Bump when the generated content changes, so the bench regenerates cached workspaces. */
export const GENERATOR_VERSION = 4;

export function generateWorkspace(fileCount: number, dir: string, seed = 42): { files: number; bytes: number } {
  const r = mulberry32(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)]!;
  const tableCount = Math.max(20, Math.floor(fileCount / 5));
  const tableName = (i: number): string => `${WORDS[i % WORDS.length]}_${Math.floor(i / WORDS.length)}`;
  const schemaOf = (i: number): string => ['sales', 'purchasing', 'ops', 'crm'][i % 4]!;
  let bytes = 0;
  const write = (rel: string, text: string): void => {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
  };
  const pad = (text: string, target: number): string => {
    // realistic filler: comments and more statements until the size target
    let out = text;
    let k = 0;
    while (out.length < target) out += `\n-- note ${k++}: ${pick(WORDS)} ${pick(WORDS)} reconciled nightly by the ${pick(WORDS)} job; see ticket ${Math.floor(r() * 9999)}`;
    return out;
  };
  const columns = (i: number): string[] => {
    const n = 6 + (i % 14);
    const cols = [`${WORDS[i % WORDS.length]}_id`];
    for (let c = 1; c < n; c++) cols.push(`${pick(WORDS)}_${c}_${['id', 'code', 'name', 'amount', 'at'][c % 5]}`);
    return cols;
  };
  write('analytics/dbt_project.yml', "name: bench\nversion: '1.0'\nmodel-paths: [models]\nseed-paths: [seeds]\n");
  let n = 1;
  for (let i = 0; n < fileCount; i++, n++) {
    const kind = i % 20;
    const t = i % tableCount;
    const target = 4000 + Math.floor(r() * 12000);
    if (kind < 3) {
      // DDL (15%): several tables per file
      let sql = '';
      for (let k = 0; k < 4; k++) {
        const ti = (t + k * 7) % tableCount;
        const cols = columns(ti);
        sql += `CREATE TABLE IF NOT EXISTS ${schemaOf(ti)}.${tableName(ti)}_${i}_${k} (\n${cols.map((c, ci) => `  ${c} ${TYPES[(ci + ti) % TYPES.length]}${ci === 0 ? ' NOT NULL' : ''}`).join(',\n')}\n) DISTSTYLE KEY DISTKEY (${cols[0]});\n`;
        sql += `COMMENT ON TABLE ${schemaOf(ti)}.${tableName(ti)}_${i}_${k} IS 'generated ${i}';\n\n`;
      }
      write(`ddl/${String(i).padStart(6, '0')}_${tableName(t)}.sql`, pad(sql, target));
    } else if (kind < 11) {
      // dbt models (40%)
      const a = tableName(t);
      const b = tableName((t + 1) % tableCount);
      const sql = `{{ config(materialized='table') }}\n\nwith a as (\n  select * from {{ ref('${a}_${i - 1}') }}\n), b as (\n  select * from {{ source('raw', '${b}') }}\n)\nselect\n  a.${WORDS[t % WORDS.length]}_id,\n  b.${WORDS[(t + 1) % WORDS.length]}_id,\n  a.amount::numeric(12,2) as amount,\n  count(*) as n\nfrom a\nleft join b on b.${WORDS[t % WORDS.length]}_id = a.${WORDS[t % WORDS.length]}_id\ngroup by 1, 2, 3\n`;
      write(`analytics/models/m${Math.floor(i / 500)}/${a}_${i}.sql`, pad(sql, target));
    } else if (kind < 13) {
      // dbt properties YAML (10%): each describes half the models of its block of 20 files, every model once (dbt
      // ignores properties of models no file defines, and rejects a model described twice)
      let yml = 'version: 2\nmodels:\n';
      const block = i - kind;
      for (let j = block + (kind === 11 ? 3 : 7); j < block + (kind === 11 ? 7 : 11); j++) {
        const m = j % tableCount;
        yml += `  - name: ${tableName(m)}_${j}\n    description: Generated model ${j}\n    columns:\n`;
        for (const c of columns(m).slice(0, 12)) yml += `      - name: ${c}\n        description: The ${c.replace(/_/g, ' ')}\n        data_tests:\n          - not_null\n`;
      }
      write(`analytics/models/m${Math.floor(i / 500)}/_schema_${i}.yml`, yml);
    } else if (kind < 18) {
      // ad-hoc / report queries (20%)
      let sql = '';
      for (let k = 0; k < 5; k++) {
        const x = (t + k) % tableCount;
        const y = (t + k + 3) % tableCount;
        const key = `${WORDS[x % WORDS.length]}_id`;
        sql += `-- report ${k}\nSELECT x.${key}, y.${WORDS[y % WORDS.length]}_id, SUM(x.amount) AS total\nFROM ${schemaOf(x)}.${tableName(x)} x\nJOIN ${schemaOf(y)}.${tableName(y)} y ON y.${key} = x.${key}\nWHERE x.created_at >= DATEADD(day, -30, GETDATE())\nGROUP BY 1, 2\nORDER BY 3 DESC;\n\n`;
      }
      write(`queries/q${Math.floor(i / 1000)}/report_${i}.sql`, pad(sql, target));
    } else if (kind < 19) {
      // PHP app code (5%): a quarter of the files map status codes to labels in a switch, another quarter in class constants
      const variant = Math.floor(i / 20) % 4; // which of the app-code shapes this file gets
      const cls = `${tableName(t).replace(/_/g, '')}Repo`;
      let php = `<?php\nnamespace App\\Legacy;\n\nclass ${cls} {\n`;
      if (variant === 1) php += `    const STATUS_ACTIVE = 1;\n    const STATUS_CLOSED = 2;\n    const STATUS_HOLD = 3;\n\n`;
      if (variant === 0) {
        php += `    public function label($id) {\n        switch ($id) {\n`;
        for (let k = 1; k <= 6; k++) php += `            case ${k}: return '${pick(WORDS)} ${k}';\n`;
        php += `        }\n        return null;\n    }\n\n`;
      }
      php += `    public function load($db) {\n        $sql = "SELECT a.${WORDS[t % WORDS.length]}_id FROM ${schemaOf(t)}.${tableName(t)} a\n                JOIN ${schemaOf(t + 1)}.${tableName((t + 1) % tableCount)} b ON b.${WORDS[t % WORDS.length]}_id = a.${WORDS[t % WORDS.length]}_id";\n        return $db->query($sql);\n    }\n`;
      let k = 0;
      while (php.length < target) php += `\n    public function helper${k++}($rows) {\n        // ${pick(WORDS)} ${pick(WORDS)}\n        return array_filter($rows, function ($r) { return !empty($r['${pick(WORDS)}_id']); });\n    }\n`;
      write(`app/php/p${Math.floor(i / 1000)}/${tableName(t)}_${i}.php`, php + '}\n');
    } else {
      // Python app code (5%): a quarter of the files define an IntEnum, another quarter a code → label dict
      const variant = Math.floor(i / 20) % 4;
      let py = variant === 3 ? `from enum import IntEnum\n\n\nclass Status${i}(IntEnum):\n    PENDING = 1\n    ACTIVE = 2\n    CLOSED = 3\n\n\n` : '';
      if (variant === 1) py += `LABELS = {1: '${pick(WORDS)}', 2: '${pick(WORDS)}', 3: '${pick(WORDS)}'}\n\n\n`;
      py += `def load(cur):\n    cur.execute(\"\"\"\n        SELECT o.${WORDS[t % WORDS.length]}_id\n        FROM ${schemaOf(t)}.${tableName(t)} o\n        JOIN ${schemaOf(t + 2)}.${tableName((t + 2) % tableCount)} p ON p.${WORDS[t % WORDS.length]}_id = o.${WORDS[t % WORDS.length]}_id\n    \"\"\")\n`;
      let k = 0;
      while (py.length < target) py += `\n\ndef helper_${k++}(rows):\n    # ${pick(WORDS)} ${pick(WORDS)}\n    return [r for r in rows if r.get('${pick(WORDS)}_id') is not None]\n`;
      write(`app/py/p${Math.floor(i / 1000)}/${tableName(t)}_${i}.py`, py);
    }
  }
  return { files: fileCount, bytes };
}

if (process.argv[1] && /generate\.ts$/.test(process.argv[1])) {
  const count = Number(process.argv[2] ?? 1000);
  const dir = process.argv[3] ?? path.join(process.cwd(), `bench-ws-${count}`);
  const r = generateWorkspace(count, dir);
  process.stdout.write(JSON.stringify({ dir, ...r }) + '\n');
}
