import { analyzeQuery } from '../sql/queryAnalysis';
import { countNewlines, closingBraceEnd } from './codeConstants/sourceText';
import { parseXml, type XmlElement } from './xmlTree';
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
