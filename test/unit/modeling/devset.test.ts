import { strict as assert } from 'node:assert';
import { evaluateDevSet, loadDevSet, naiveBaseline } from './devset';

describe('modeling/join inference dev set (schema only: DDL, no data, no queries, no model)', () => {
  const schemas = loadDevSet();

  it('has at least 10 development schemas and 3 held-out ones, FK clauses stripped', () => {
    assert.ok(schemas.filter((s) => s.split === 'dev').length >= 10);
    assert.equal(schemas.filter((s) => s.split === 'heldout').length, 3);
    for (const s of schemas) {
      assert.ok(s.relationships.length > 0, s.name);
      assert.equal(s.catalog.tables.flatMap((t) => t.constraints.filter((c) => c.kind === 'foreignKey')).length, 0, `${s.name} still declares FKs`);
    }
  });

  it('reaches micro precision ≥ 0.90 and F1 ≥ 0.90 across all schemas, and beats naive name matching', () => {
    const r = evaluateDevSet(schemas);
    const base = naiveBaseline(schemas);
    const f = (x: number) => x.toFixed(3);
    for (const p of r.perSchema) console.log(`      ${p.split.padEnd(7)} ${p.name.padEnd(19)} P=${f(p.precision)} R=${f(p.recall)} F1=${f(p.f1)}`);
    console.log(`      dev     P=${f(r.dev.precision)} R=${f(r.dev.recall)} F1=${f(r.dev.f1)}`);
    console.log(`      heldout P=${f(r.heldout.precision)} R=${f(r.heldout.recall)} F1=${f(r.heldout.f1)}`);
    console.log(`      all     P=${f(r.all.precision)} R=${f(r.all.recall)} F1=${f(r.all.f1)}   naive baseline F1=${f(base.f1)}`);
    assert.ok(r.all.precision >= 0.9, `precision ${r.all.precision}`);
    assert.ok(r.all.f1 >= 0.9, `F1 ${r.all.f1}`);
    assert.ok(r.all.f1 > base.f1);
  });
});
