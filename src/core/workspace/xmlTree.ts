import { countNewlines } from './codeConstants/sourceText';

/** An element of a tolerantly read XML document (see parseXml). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: Array<XmlElement | string>;
  /** 1-based line of its start tag. */
  line: number;
  /** 1-based line where its content starts (just after its start tag). */
  contentLine: number;
  /** Newlines inside its start tag and its end tag, which its flattened text keeps where they are. */
  startNewlines: number;
  endNewlines: number;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, name: string) => {
    const lower = name.toLowerCase();
    if (!lower.startsWith('#')) return ENTITIES[lower] ?? m;
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : Number(lower.slice(1));
    // a character reference out of Unicode's range is left as written
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/** Deeper elements are read as their text (flattening recurses once per level). */
const MAX_DEPTH = 200;

/**
 * A tolerant reading of an XML document: elements with attributes and children, text with entities decoded, CDATA as
 * its text; comments, processing instructions and declarations dropped (their newlines kept in the text around them).
 * A stray end tag is ignored; elements left open at the end are closed there; elements nested deeper than MAX_DEPTH
 * are read as their text.
 */
export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '', attributes: {}, children: [], line: 1, contentLine: 1, startNewlines: 0, endNewlines: 0 };
  const open: XmlElement[] = [root];
  /** How many elements of each name are open: a stray end tag is known without a search. */
  const openByName = new Map<string, number>();
  const top = (): XmlElement => open[open.length - 1]!;
  const addText = (s: string): void => {
    const children = top().children;
    if (typeof children[children.length - 1] === 'string') children[children.length - 1] += s;
    else children.push(s);
  };
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? text.length : lt;
    if (textEnd > i) {
      const chunk = text.slice(i, textEnd);
      addText(decodeEntities(chunk));
      line += countNewlines(chunk, 0, chunk.length);
    }
    if (lt < 0) break;
    i = lt;
    const skip = (close: string, keep?: [number, number]): void => {
      const end = text.indexOf(close, i);
      const stop = end < 0 ? text.length : end + close.length;
      if (keep) addText(text.slice(i + keep[0], Math.max(i + keep[0], stop - keep[1])));
      else addText('\n'.repeat(countNewlines(text, i, stop)));
      line += countNewlines(text, i, stop);
      i = stop;
    };
    if (text.startsWith('<!--', i)) skip('-->');
    else if (text.startsWith('<![CDATA[', i)) skip(']]>', [9, 3]);
    else if (text.startsWith('<?', i)) skip('?>');
    else if (text.startsWith('<!', i)) skip('>');
    else {
      const tag = readTag(text, i);
      if (!tag) {
        addText('<');
        i++;
        continue;
      }
      const newlines = countNewlines(text, i, tag.end);
      line += newlines;
      i = tag.end;
      if (tag.closing) {
        if (!openByName.get(tag.name)) {
          addText('\n'.repeat(newlines));
          continue;
        }
        // the innermost open element of that name closes, and every element opened inside it
        for (;;) {
          const closed = open.pop()!;
          openByName.set(closed.name, openByName.get(closed.name)! - 1);
          if (closed.name === tag.name) {
            closed.endNewlines = newlines;
            break;
          }
        }
        continue;
      }
      if (open.length > MAX_DEPTH) {
        addText('\n'.repeat(newlines));
        continue;
      }
      const element: XmlElement = { name: tag.name, attributes: tag.attributes, children: [], line: line - newlines, contentLine: line, startNewlines: newlines, endNewlines: 0 };
      top().children.push(element);
      if (!tag.selfClosing) {
        open.push(element);
        openByName.set(tag.name, (openByName.get(tag.name) ?? 0) + 1);
      }
    }
  }
  return root;
}

/** The tag starting at `<` at `at`: its name, attributes (values may hold `>`), and the index just past its `>`. */
function readTag(text: string, at: number): { name: string; closing: boolean; selfClosing: boolean; attributes: Record<string, string>; end: number } | undefined {
  const head = /^<(\/?)([A-Za-z_][\w.:-]*)/.exec(text.slice(at, at + 200));
  if (!head) return undefined;
  const attributes: Record<string, string> = {};
  const attribute = /\s*([\w.:-]+)\s*=\s*("([^"]*)"|'([^']*)')|\s*(\/?)>|\s+/y;
  attribute.lastIndex = at + head[0].length;
  for (;;) {
    const start = attribute.lastIndex;
    const m = attribute.exec(text);
    if (!m || m.index !== start) return { name: head[2]!, closing: !!head[1], selfClosing: false, attributes, end: text.indexOf('>', start) < 0 ? text.length : text.indexOf('>', start) + 1 };
    if (m[1]) attributes[m[1]] = decodeEntities(m[3] ?? m[4] ?? '');
    else if (m[0].endsWith('>')) return { name: head[2]!, closing: !!head[1], selfClosing: m[5] === '/', attributes, end: attribute.lastIndex };
  }
}

/** The child elements of an element (its text left out), those named `name` when given. */
export function childElements(e: XmlElement, name?: string): XmlElement[] {
  return e.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));
}
