import assert from 'node:assert/strict';
import { NameIndex } from '../../../src/core/catalog/nameIndex';
import { mulberry32 } from '../prng';

describe('NameIndex', () => {
  it('behaves as a map of sets through any sequence of adds and removes (seeded)', () => {
    const rnd = mulberry32(11);
    const index = new NameIndex();
    const model = new Map<string, Set<string>>();
    for (let step = 0; step < 5000; step++) {
      const name = `n${Math.floor(rnd() * 20)}`;
      const value = `v${Math.floor(rnd() * 4)}`;
      if (rnd() < 0.55) {
        index.add(name, value);
        if (!model.has(name)) model.set(name, new Set());
        model.get(name)!.add(value);
      } else {
        index.remove(name, value);
        model.get(name)?.delete(value);
        if (model.get(name)?.size === 0) model.delete(name);
      }
      const expected = model.get(name);
      assert.deepEqual([...index.get(name)].sort(), [...(expected ?? [])].sort(), `step ${step}`);
      assert.equal(index.only(name), expected?.size === 1 ? [...expected][0] : undefined, `step ${step}`);
    }
    index.delete('n1');
    assert.deepEqual([...index.get('n1')], []);
    index.clear();
    assert.deepEqual([...index.get('n2')], []);
  });
});
