import { strict as assert } from 'node:assert';
import { docReferences, readDocBlocks, renderDocs } from '../../../src/core/catalog/dbtDocs';
import type { ExtractContext } from '../../../src/core/workspace/classify';
import { extractFile } from '../../../src/core/workspace/extractFile';

const ctx: ExtractContext = { dbtProjects: [{ root: 'analytics', name: 'shop', modelPaths: ['models'], seedPaths: ['seeds'] }] };
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('dbt docs blocks', () => {
  it('reads each block of a Markdown file with its line, trimmed, whitespace control and all', () => {
    const { blocks, unclosed } = readDocBlocks(
      '# Docs\n\n{% docs orders_status %}\nPlaced or shipped.\n\n| a | b |\n{% enddocs %}\n{%- docs id -%} The id {%- enddocs -%}\n{% docs  spaced  %}x{% enddocs %}',
    );
    assert.deepEqual(blocks, [
      { name: 'orders_status', text: 'Placed or shipped.\n\n| a | b |', line: 3 },
      { name: 'id', text: 'The id', line: 8 },
      { name: 'spaced', text: 'x', line: 9 },
    ]);
    assert.deepEqual(unclosed, []);
  });

  it('reports a block with no {% enddocs %} and keeps the ones before it', () => {
    const { blocks, unclosed } = readDocBlocks('{% docs a %}A{% enddocs %}\n\n{% docs b %}\nnever closed\n');
    assert.deepEqual(blocks.map((b) => b.name), ['a']);
    assert.deepEqual(unclosed, [{ name: 'b', line: 3 }]);
  });

  it("renders doc('name') and doc('package', 'name'), and leaves a call to an unknown block as written", () => {
    const docs = new Map([
      ['doc:shop.status', 'Placed or shipped.'],
      ['doc:utils.id', 'Surrogate key.'],
    ]);
    assert.equal(renderDocs("Orders. {{ doc('status') }}", 'shop', docs), 'Orders. Placed or shipped.');
    assert.equal(renderDocs('{{- doc("utils", "id") -}} / {{ doc("STATUS") }}', 'shop', docs), 'Surrogate key. / Placed or shipped.');
    assert.equal(renderDocs("{{ doc('gone') }} and {{ var('x') }}", 'shop', docs), "{{ doc('gone') }} and {{ var('x') }}");
    assert.deepEqual(docReferences("{{ doc('a') }} {{ doc('pkg', 'b') }} {{ other('c') }}", 'shop'), ['doc:shop.a', 'doc:pkg.b']);
  });

  it('takes docs blocks from the Markdown of a dbt project only, not from its build output or other folders', () => {
    const md = '{% docs status %}Placed or shipped.{% enddocs %}\n{% docs broken %}\n';
    const inProject = extractFile('analytics/models/docs.md', enc(md), ctx);
    assert.deepEqual(
      inProject.ddl.map((op) => (op.op === 'docBlock' ? `${op.project}.${op.name}@${op.origin.line}: ${op.text}` : op.op)),
      ['shop.status@1: Placed or shipped.'],
    );
    assert.deepEqual(inProject.diagnostics.map((d) => `${d.line}: ${d.message}`), ["2: Docs block 'broken' has no {% enddocs %}: dbt will not parse the project"]);
    assert.deepEqual(extractFile('analytics/target/compiled/docs.md', enc(md), ctx).ddl, []);
    assert.deepEqual(extractFile('notes/docs.md', enc(md), ctx).ddl, []);
  });
});
