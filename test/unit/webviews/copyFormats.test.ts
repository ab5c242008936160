import { strict as assert } from 'node:assert';
import { cellText, csvField, formatRows, jsonKeys } from '../../../webview-ui/results/copyFormats';

const cols = [{ name: 'id' }, { name: 'note' }, { name: 'id' }];

describe('copy formats', () => {
  it('quotes CSV fields only when needed and keeps NULL apart from the empty string', () => {
    assert.equal(csvField(null), '');
    assert.equal(csvField(''), '""');
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(' padded'), '" padded"');
    assert.equal(csvField(12.5), '12.5');
    assert.equal(csvField(false), 'false');
    assert.equal(csvField('9007199254740993'), '9007199254740993');
  });

  it('formats CSV with a header line', () => {
    const text = formatRows('csv', cols, [[1, 'a,b', null], [2, '', 3]]);
    assert.equal(text, 'id,note,id\n1,"a,b",\n2,"",3\n');
  });

  it('formats TSV, with headers on request and quoting of tabs and newlines', () => {
    assert.equal(formatRows('tsv', cols, [[1, 'x\ty', null]]), '1\t"x\ty"\t');
    assert.equal(formatRows('tsv', cols, [[1, 'a', 2]], { headers: true }), 'id\tnote\tid\n1\ta\t2');
  });

  it('formats JSON with unique keys, exact decimal strings and null', () => {
    const parsed = JSON.parse(formatRows('json', cols, [['12345678901234567890', null, 1.5]]));
    assert.deepEqual(parsed, [{ id: '12345678901234567890', note: null, id_2: 1.5 }]);
    assert.deepEqual(jsonKeys([{ name: 'a' }, { name: 'a_2' }, { name: 'a' }]), ['a', 'a_2', 'a_3']);
  });

  it('formats Markdown tables, escaping pipes, markup and line breaks', () => {
    const md = formatRows('markdown', [{ name: 'a|b' }, { name: 'c' }], [['<img src=x onerror=alert(1)>', null], ['x|y\nz', '']]);
    const lines = md.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[0], '| a\\|b | c |');
    assert.ok(lines[2].includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!lines[2].includes('<img'));
    assert.ok(lines[2].includes('*NULL*'));
    assert.ok(lines[3].startsWith('| x\\|y<br>z |'));
  });

  it('shows NULL, booleans and numbers as text', () => {
    assert.equal(cellText(null), 'NULL');
    assert.equal(cellText(''), '');
    assert.equal(cellText(true), 'true');
    assert.equal(cellText(0.1), '0.1');
  });
});
