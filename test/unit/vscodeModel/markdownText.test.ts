import assert from 'node:assert/strict';
import { code, plain } from '../../../src/vscode/language/markdownText';

describe('hover Markdown text', () => {
  // VS Code renders hovers with marked (an ES module: loaded once, not required)
  let render: (s: string) => string;
  before(async () => {
    const { marked } = await import('marked');
    render = (s) => marked.parseInline(s, { async: false });
  });
  it('keeps a name with backticks in one code span: nothing after it can become a link', () => {
    const hostile = 'x` [run](command:quarry.showTableDdl?%5B%5D) `y';
    const html = render(`Type: ${code(hostile)}`);
    assert.doesNotMatch(html, /<a /);
    assert.equal((html.match(/<code>/g) ?? []).length, 1);
    assert.match(html, /command:quarry\.showTableDdl/, 'the text is still shown as written');
    assert.equal(render(code('`edge`')), '<code>`edge`</code>');
    assert.equal(code('a\nb'), '`a b`');
  });

  it('escapes Markdown in plain text: a name reads as written and makes no link or emphasis', () => {
    const hostile = '[click](command:quarry.previewErd) *bold* _x_ <b>';
    const html = render(`**${plain(hostile)}**`);
    assert.doesNotMatch(html, /<a |<em>|<b>/);
    assert.match(html, /\[click\]\(command:quarry\.previewErd\) \*bold\* _x_ &lt;b&gt;/);
  });
});
