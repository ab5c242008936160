import assert from 'node:assert/strict';
import { extractDbtYaml } from '../../../src/core/workspace/dbtYamlExtractor';
import { readYamlTree, yJs, type YNode } from '../../../src/core/workspace/yamlTree';
import { mulberry32 } from '../prng';

/** Every node's kind, line and value, for comparing the fast reader with the `yaml` package. */
function shape(node: YNode | null): unknown {
  if (!node) return null;
  if (node.t === 'scalar') return [node.line, node.value];
  if (node.t === 'seq') return [node.line, node.items.map(shape)];
  return [node.line, node.keys, node.values.map(shape)];
}

function sameAsLibrary(text: string): { fast: boolean } {
  const fast = readYamlTree(text, 'f.yml');
  const lib = readYamlTree(text, 'f.yml', { library: true });
  assert.equal(lib.fast, false);
  if (fast.fast) {
    assert.deepEqual(yJs(fast.root), yJs(lib.root), text);
    // lines of sequence items and of maps are what the extractor reads
    assert.deepEqual(shape(fast.root), shape(lib.root), text);
  } else assert.deepEqual(fast, lib);
  assert.deepEqual(extractDbtYaml('m/schema.yml', text, { project: 'p' }), extractDbtYaml('m/schema.yml', text, { project: 'p', libraryParser: true }));
  return { fast: fast.fast };
}

const HANDWRITTEN: Array<[string, boolean]> = [
  ['version: 2\nmodels:\n  - name: a\n    description: "A \\"quoted\\" model"\n    columns:\n      - name: id\n        tests: [unique, not_null]\n', true],
  ['models:\n- name: b # comment\n  config: {materialized: table, schema: marts}\n  columns:\n  - name: x\n    data_tests:\n      - accepted_values:\n          values: [\'a\', "b", 3, 4.5, true, null]\n', true],
  ["sources:\n  - name: raw\n    tables:\n      - name: t\n        description: >\n          Folded text\n          over lines\n\n          new paragraph\n      - name: u\n        description: |-\n          literal\n            indented\n        identifier: U_1\n", true],
  ["# leading comment\n---\nversion: 2\n\nseeds:\n  - name: s\n    config:\n      column_types: {id: bigint, code: 'varchar(2)'}\n", true],
  ['a: 1\nb: 0x1F\nc: 0o17\nd: 1e3\ne: .inf\nf: ~\ng: True\nh: it\'s\ni: http://x.y/z\nj: -5\nk: 007\n', true],
  ["k: 'it''s'\nl: \"tab\\there \\u00e9\"\nm: []\nn: {}\no:\np: x #c\n", true],
  // outside the fast subset: the library decides
  ['models:\n  - name: a\n    description: a plain scalar\n      continued on the next line\n', false],
  ['base: &b {x: 1}\nother: *b\n', false],
  ['models: [\n', false],
  ['a: 1\na: 2\n', false],
  ['x: !!str 3\n', false],
  ['- - a\n  - b\n', false],
  ['desc: >\n  a\n    more indented\n  b\n', false],
];

describe('readYamlTree (fast dbt YAML reader)', () => {
  it('agrees with the yaml package on handwritten dbt YAML, and falls back outside its subset', () => {
    for (const [text, fast] of HANDWRITTEN) assert.equal(sameAsLibrary(text).fast, fast, text);
  });

  it('applies YAML merge keys as dbt\'s loader does: its own keys win, then the merged maps in order', () => {
    const text = [
      'defaults: &d {name: base, description: from base, tests: [unique]}',
      'extra: &e {description: from extra, meta: {owner: x}}',
      'one:',
      '  <<: *d',
      '  name: own',
      'two:',
      '  <<: [*e, *d]',
      'three:',
      '  <<: {description: inline}',
      '  name: three',
    ].join('\n');
    const root = yJs(readYamlTree(text, 'f.yml').root) as Record<string, unknown>;
    // what PyYAML's SafeLoader gives for the same document
    assert.deepEqual(root['one'], { name: 'own', description: 'from base', tests: ['unique'] });
    assert.deepEqual(root['two'], { description: 'from extra', meta: { owner: 'x' }, name: 'base', tests: ['unique'] });
    assert.deepEqual(root['three'], { name: 'three', description: 'inline' });
  });

  it('agrees with the yaml package on random dbt-like documents (seeded)', () => {
    const r = mulberry32(7);
    const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)]!;
    const scalars = ['id', 'customer_id', "'quoted: yes'", '"dq \\" x"', '12', '-3.5', 'true', 'null', '~', 'a b c', 'x # trailing', 'http://a:b', '0x10', 'Yes', "''", '.5'];
    let fastCount = 0;
    for (let n = 0; n < 300; n++) {
      const ind = pick([2, 4]);
      const sp = ' '.repeat(ind);
      let y = pick(['', 'version: 2\n', '# c\nversion: 2\n\n']);
      y += 'models:\n';
      for (let m = 0; m < 1 + Math.floor(r() * 3); m++) {
        const compact = r() < 0.3;
        const dash = compact ? '- ' : `${sp}- `;
        const body = compact ? '  ' : sp + '  ';
        y += `${dash}name: m${m}\n`;
        if (r() < 0.5) y += `${body}description: ${pick(scalars)}\n`;
        if (r() < 0.3) y += `${body}description2: ${pick(['|', '>', '|-', '>-'])}\n${body}${sp}line one\n${r() < 0.5 ? '\n' : ''}${body}${sp}line two\n`;
        if (r() < 0.3) y += `${body}config: {materialized: ${pick(['table', 'view', "'incremental'"])}}\n`;
        y += `${body}columns:\n`;
        for (let c = 0; c < Math.floor(r() * 4); c++) {
          y += `${body}${sp}- name: ${pick(scalars)}\n`;
          if (r() < 0.5) y += `${body}${sp}  tests: [${pick(scalars)}, ${pick(scalars)}]\n`;
          if (r() < 0.4) y += `${body}${sp}  data_tests:\n${body}${sp}    - not_null\n${body}${sp}    - relationships:\n${body}${sp}        to: ref('x')\n${body}${sp}        field: id\n`;
          if (r() < 0.2) y += `${body}${sp}  # a comment\n`;
        }
      }
      if (r() < 0.1) y += 'broken: [a, b\n';
      if (sameAsLibrary(y).fast) fastCount++;
    }
    assert.ok(fastCount > 150, `most random documents take the fast path (${fastCount}/300)`);
  });
});
