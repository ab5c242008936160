import assert from 'node:assert/strict';
import { deserialize, serialize } from 'node:v8';
import { decodeCompact, encodeCompact } from '../../../src/core/workspace/compactEncoding';

describe('compact encoding', () => {
  it('round-trips plain data exactly, keeping undefined-valued keys, and stores each string once', () => {
    const origin = { kind: 'ddl', file: 'a/b.sql', line: 3 };
    const value = {
      tables: [
        { schema: 'public', name: 't', comment: undefined, columns: [{ name: 'id', nullable: false, origin }, { name: 'x', dataType: 'int', origin: { ...origin, line: 4 } }] },
        { schema: 'public', name: 'u', columns: [], extra: null, n: -0.5, big: 2 ** 53, args: { '0': 'a', z: [true, [1, 'two']] } },
      ],
      empty: {},
    };
    const data = deserialize(serialize(encodeCompact(value))) as ReturnType<typeof encodeCompact>;
    const back = decodeCompact(data) as typeof value;
    assert.deepEqual(back, value);
    assert.ok('comment' in back.tables[0]!, 'an undefined-valued key survives');
    assert.equal(data.strings.filter((s) => s === 'a/b.sql').length, 1);
  });

  it('refuses what is not plain data, and corrupt input', () => {
    assert.throws(() => encodeCompact({ when: new Date() }));
    assert.throws(() => encodeCompact({ f: () => 1 }));
    const data = encodeCompact([1, 2]);
    assert.throws(() => decodeCompact({ ...data, tokens: data.tokens.subarray(0, data.tokens.length - 1) }));
  });
});
