/**
 * Data API `:name` placeholders → PostgreSQL `$n`. Each occurrence gets its own `$n` (PostgreSQL rejects one `$1`
 * used in two type contexts), and `::type` casts, string literals, quoted identifiers, comments and dollar quotes
 * are left alone.
 */
export interface TranslatedSql {
  text: string;
  /** Parameter name for `$1`, `$2`, … in order. */
  occurrences: string[];
}

export function translateNamedParameters(sql: string): TranslatedSql {
  let out = '';
  const occurrences: string[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      const end = skipQuoted(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      const end = nl < 0 ? n : nl;
      out += sql.slice(i, end);
      i = end;
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (c === '$' && /[A-Za-z_$]/.test(next ?? '') && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (m) {
        const close = sql.indexOf(m[0], i + m[0].length);
        const end = close < 0 ? n : close + m[0].length;
        out += sql.slice(i, end);
        i = end;
      } else {
        out += c;
        i++;
      }
    } else if (c === ':' && next === ':') {
      out += '::';
      i += 2;
    } else if (c === ':' && /[A-Za-z0-9_]/.test(next ?? '')) {
      const m = /^[A-Za-z0-9_]+/.exec(sql.slice(i + 1));
      const name = m ? m[0] : '';
      occurrences.push(name);
      out += `$${occurrences.length}`;
      i += 1 + name.length;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, occurrences };
}

function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    // E'..' strings may escape quotes with a backslash.
    if (sql[i] === '\\' && quote === "'" && /[eE]/.test(sql[start - 1] ?? '')) i++;
    i++;
  }
  return sql.length;
}
