import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { EmbeddedEngine } from '../../../src/adapters/embedded/embeddedEngine';
import { buildCatalog } from '../../../src/core/catalog/catalog';
import { parseSql } from '../../../src/core/sql/ddlParser';
import { emptyFacts, type FileFacts } from '../../../src/core/workspace/facts';

const ROOT = path.resolve(__dirname, '../../../samples/warehouse');

describe('EmbeddedEngine on samples/warehouse', function () {
  this.timeout(120000);
  let engine: EmbeddedEngine;

  before(async function () {
    if (!existsSync(path.join(ROOT, 'ddl'))) this.skip();
    const facts: FileFacts[] = [];
    for (const f of (await fs.readdir(path.join(ROOT, 'ddl'))).filter((n) => n.endsWith('.sql')).sort()) {
      const parsed = parseSql(await fs.readFile(path.join(ROOT, 'ddl', f), 'utf8'), `ddl/${f}`);
      facts.push({ ...emptyFacts(`ddl/${f}`, 'sql'), ddl: parsed.ddl });
    }
    engine = new EmbeddedEngine({
      catalog: buildCatalog(facts),
      dataDirs: [path.join(ROOT, 'data')],
      seedDirs: [path.join(ROOT, 'dbt', 'seeds')],
      seedSchema: 'reference',
    });
  });
  after(() => engine?.dispose());

  it('creates every DDL relation and loads every CSV without failures', async () => {
    const report = await engine.loadReport();
    assert.deepEqual(report.relations.filter((r) => r.status !== 'created'), []);
    assert.deepEqual(report.files.filter((f) => f.status !== 'loaded'), []);
    assert.ok(report.files.length >= 5);
  });

  it('runs every query in queries/ to FINISHED', async () => {
    const dir = path.join(ROOT, 'queries');
    const parameters = [
      { name: 'start_date', value: '2024-01-01' },
      { name: 'end_date', value: '2024-04-01' },
      { name: 'country', value: 'US' },
    ];
    const failures: string[] = [];
    for (const f of (await fs.readdir(dir)).filter((n) => n.endsWith('.sql')).sort()) {
      const outcome = await engine.execute(await fs.readFile(path.join(dir, f), 'utf8'), { parameters });
      if (outcome.status !== 'FINISHED' || !outcome.resultRows) failures.push(`${f}: ${outcome.status} ${outcome.error ?? `${outcome.resultRows} rows`}`);
    }
    assert.deepEqual(failures, []);
  });

  it('keeps shipments.tracking_no (BIGINT above 2^53) exact', async () => {
    const outcome = await engine.execute('select tracking_no from sales.shipments where tracking_no > 9007199254740992 order by tracking_no limit 1');
    const [[value]] = (await engine.fetchPage(outcome.id)).rows;
    assert.equal(typeof value, 'string');
    const csv = await fs.readFile(path.join(ROOT, 'data', 'sales.shipments.csv'), 'utf8');
    assert.ok(csv.includes(String(value)), `${value} is not in the CSV as written`);
  });
});
