import { analyzeQuery } from '../sql/queryAnalysis';
import { countNewlines, closingBraceEnd } from './codeConstants/sourceText';
import { emptyFacts, type FileFacts } from './facts';

/**
 * The SQL of MyBatis mapper files (`<mapper namespace="…">`: `<select>`, `<insert>`, `<update>`, `<delete>`) and of
 * iBATIS 2 SQL maps (`<sqlMap>`: those and `<statement>`, `<procedure>`), analyzed as the queries of application code:
 * their tables and joins, at their lines. Each statement is read as the database would receive it, near enough:
 * - dynamic SQL keeps every branch's text (`<if>`, `<choose>`/`<when>`/`<otherwise>`), `<where>` and `<set>` give their
 *   keyword (and drop the `AND`/`OR` that follows), `<trim>` its prefix and suffix, `<foreach>` its `open` and `close`,
 *   iBATIS's dynamic elements their `prepend`;
 * - `<include refid="…"/>` is the `<sql id="…">` fragment of the file, on the include's line;
 * - parameters (`#{x}`, `${x}`, iBATIS's `#x#` and `$x$`) read as bind parameters; CDATA as its text, entities decoded.
 * Lines are kept: what is dropped leaves its newlines.
 */
export function extractMybatisMapper(file: string, text: string): FileFacts {
  const facts = emptyFacts(file, 'mybatis');
  const root = parseXml(text);
  const mapper = root.children.find((c): c is XmlElement => typeof c !== 'string' && (c.name === 'mapper' || c.name === 'sqlMap'));
  if (!mapper) return facts;
  const ibatis = mapper.name === 'sqlMap';
  const fragments = new Map<string, XmlElement>();
  for (const c of mapper.children) if (typeof c !== 'string' && c.name === 'sql' && c.attributes.id) fragments.set(c.attributes.id, c);
  for (const statement of mapper.children) {
    if (typeof statement === 'string' || !STATEMENTS.has(statement.name)) continue;
    const sql = withoutLeadingConjunctions(flatten(statement.children, { fragments, ibatis, depth: 0, budget: { left: INCLUDE_BUDGET } }));
    try {
      const found = analyzeQuery(sql, file, statement.contentLine - 1, { originKind: 'code' });
      facts.tableRefs.push(...found.tables);
      facts.joins.push(...found.joins);
    } catch (err) {
      facts.diagnostics.push({ severity: 'warning', message: `Could not analyze the SQL of <${statement.name} id="${statement.attributes.id ?? ''}">: ${(err as Error).message}`, file, line: statement.contentLine, column: 1 });
    }
  }
  return facts;
}

const STATEMENTS = new Set(['select', 'insert', 'update', 'delete', 'statement', 'procedure']);

/** Characters that `<include>`s may add to one statement. */
const INCLUDE_BUDGET = 200_000;

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: Array<XmlElement | string>;
  /** 1-based line where its content starts (just after its start tag). */
  contentLine: number;
  /** Newlines inside its start tag and its end tag, which its flattened text keeps where they are. */
  startNewlines: number;
  endNewlines: number;
}

interface Flattening {
  fragments: Map<string, XmlElement>;
  ibatis: boolean;
  depth: number;
  /** Characters includes may still add to the statement: fragments that include each other stay bounded. */
  budget: { left: number };
}

/** The SQL text of nodes: see extractMybatisMapper. */
function flatten(nodes: Array<XmlElement | string>, how: Flattening): string {
  let out = '';
  for (const node of nodes) {
    if (typeof node === 'string') {
      out += parameters(node, how.ibatis);
      continue;
    }
    const a = node.attributes;
    const inner = (): string => flatten(node.children, { ...how, depth: how.depth + 1 });
    const before = '\n'.repeat(node.startNewlines);
    const after = '\n'.repeat(node.endNewlines);
    switch (node.name) {
      case 'where':
      case 'set':
        out += `${before} ${node.name.toUpperCase()} ${inner()} ${after}`;
        break;
      case 'trim':
        out += `${before} ${a.prefix ?? ''} ${inner()} ${a.suffix ?? ''} ${after}`;
        break;
      case 'foreach':
      case 'iterate':
        out += `${before} ${a.prepend ?? ''} ${a.open ?? ''}${inner()}${a.close ?? ''} ${after}`;
        break;
      case 'include': {
        const fragment = a.refid ? how.fragments.get(a.refid) : undefined;
        // the fragment on the include's line, so that the lines after it stay where they are
        const text = fragment && how.depth < 8 && how.budget.left > 0 ? flatten(fragment.children, { ...how, depth: how.depth + 1 }).replace(/\n/g, ' ') : '';
        how.budget.left -= text.length;
        out += `${before} ${text} ${after}`;
        break;
      }
      case 'selectKey':
      case 'bind':
        // another statement (a key's sequence), a variable: not this statement's text
        out += before + flatten(node.children, how).replace(/[^\n]/g, '') + after;
        break;
      default:
        // <if>, <choose>, <when>, <otherwise>; iBATIS's <dynamic>, <isNotNull>…, with their `prepend`
        out += `${before} ${a.prepend ?? ''} ${inner()} ${after}`;
    }
  }
  return out;
}

/** `WHERE AND x` → `WHERE x`, as `<where>` and iBATIS's `<dynamic prepend="WHERE">` make it. */
function withoutLeadingConjunctions(sql: string): string {
  return sql.replace(/\b(WHERE|SET)(\s+)(?:AND|OR)\b/gi, (_m, keyword: string, space: string) => `${keyword}${space}`);
}

/** Parameters as bind parameters: `#{x}` and `${x}` (MyBatis), `#x#` and `$x$` (iBATIS), their newlines kept. */
function parameters(text: string, ibatis: boolean): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 35 /* # */ && c !== 36 /* $ */) continue;
    let end = -1;
    if (text.charCodeAt(i + 1) === 123 /* { */) end = closingBraceEnd(text, i + 2);
    else if (ibatis) {
      const close = text.indexOf(text[i]!, i + 1);
      if (close > i + 1 && /^[\w.[\]]+$/.test(text.slice(i + 1, close))) end = close + 1;
    }
    if (end < 0) continue;
    out += text.slice(from, i) + ':__param__' + '\n'.repeat(countNewlines(text, i, end));
    from = end;
    i = end - 1;
  }
  return out + text.slice(from);
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
    return ENTITIES[lower] ?? m;
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
function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '', attributes: {}, children: [], contentLine: 1, startNewlines: 0, endNewlines: 0 };
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
      const element: XmlElement = { name: tag.name, attributes: tag.attributes, children: [], contentLine: line, startNewlines: newlines, endNewlines: 0 };
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
