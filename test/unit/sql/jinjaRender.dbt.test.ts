import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { renderStaticJinja } from '../../../src/core/sql/jinjaRender';
import { dbtPythonOrSkip } from '../dbtToolchain';
import { mulberry32 } from '../prng';

/**
 * renderStaticJinja against Jinja itself (the jinja2 that dbt renders models with): seeded random templates in the
 * subset it renders — set, for (else, nested, loop.*), if/elif/else, conditional expressions, a few filters and
 * operators, whitespace control everywhere — must come out byte for byte as Jinja renders them.
 */
const CASES = Number(process.env.QUARRY_JINJA_CASES ?? 1500);
const SEED = Number(process.env.QUARRY_FUZZ_SEED ?? 20241128);

function template(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const ws = (): string => pick(['', ' ', '\n', '  ', '\n    ', ' \n\t']);
  const dash = (): string => (rand() < 0.3 ? '-' : '');
  const tag = (inner: string): string => `{%${dash()} ${inner} ${dash()}%}`;
  const out = (inner: string): string => `{{${dash()} ${inner} ${dash()}}}`;
  const words = ['select', 'a', 'b_col', ',', 'sum(x)', 'as', 'from t', '=', "'lit'", '1'];
  const lists = ["['a', 'b', 'c']", '[1, 2]', '[]', "['only']", '(3, 4, 5)'];

  function block(depth: number, vars: string[], inLoop: boolean): string {
    let s = '';
    const n = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < n; i++) {
      const r = rand();
      if (r < 0.3 || depth > 3) s += ws() + pick(words) + ws();
      else if (r < 0.42) {
        // scalars are rendered; a list only iterated and measured (Jinja would print its Python repr)
        const name = pick(['v', 'w', 'items']);
        s += tag(`set ${name} = ${name === 'items' ? pick(lists) : pick(["'str'", '7', 'true', "'Mixed'"])}`);
        if (!vars.includes(name)) vars = [...vars, name];
      } else if (r < 0.58 && vars.length) s += out(expression(vars, inLoop));
      else if (r < 0.78) {
        const target = pick(['x', 'y']);
        const over = rand() < 0.3 && vars.includes('items') ? 'items' : pick(lists.slice(0, 4));
        const body = block(depth + 1, [...vars, target], true);
        const orElse = rand() < 0.2 ? tag('else') + block(depth + 1, vars, inLoop) : '';
        s += tag(`for ${target} in ${over}`) + body + orElse + tag('endfor');
      } else if (r < 0.95) {
        s += tag(`if ${condition(vars, inLoop)}`) + block(depth + 1, vars, inLoop);
        if (rand() < 0.4) s += tag(`elif ${condition(vars, inLoop)}`) + block(depth + 1, vars, inLoop);
        if (rand() < 0.5) s += tag('else') + block(depth + 1, vars, inLoop);
        s += tag('endif');
      } else s += out(pick(["'text'", '42', 'true', "'a' if true else 'b'"]));
    }
    return s;
  }
  function expression(vars: string[], inLoop: boolean): string {
    const v = pick(vars.filter((x) => x !== 'items').length ? vars.filter((x) => x !== 'items') : vars);
    const loopAttrs = ['loop.index', 'loop.index0', 'loop.first', 'loop.last', 'loop.length', 'loop.revindex'];
    const simple = inLoop && rand() < 0.4 ? pick(loopAttrs) : v;
    const r = rand();
    if (r < 0.6) return simple;
    if (r < 0.75) return `${simple} | string | upper`;
    if (r < 0.85 && vars.includes('items')) return 'items | length';
    return `${simple} if ${condition(vars, inLoop)} else 'no'`;
  }
  function condition(vars: string[], inLoop: boolean): string {
    const atoms = [...(inLoop ? ['loop.first', 'loop.last', 'loop.index > 1', 'loop.index0 == 0'] : []), 'true', 'false', '1 < 2'];
    if (vars.includes('x')) atoms.push("x == 'a'", "x != 'b'", "x in ['a', 'c']", 'x not in [1]');
    const a = pick(atoms);
    const r = rand();
    if (r < 0.2) return `not ${a}`;
    if (r < 0.35) return `${a} and ${pick(atoms)}`;
    if (r < 0.5) return `${a} or ${pick(atoms)}`;
    return a;
  }
  // a template with no statement is left alone (a model's `{{ ref() }}` alone is not worth parsing): start with one
  return tag("set v = 'start'") + block(0, ['v'], false) + ' end';
}

const JINJA = `
import json, sys, jinja2
env = jinja2.Environment(undefined=jinja2.StrictUndefined)
out = []
for t in json.load(sys.stdin):
    try:
        out.append(env.from_string(t).render())
    except Exception as e:
        out.append(None)
json.dump(out, sys.stdout)
`;

describe('renderStaticJinja, checked against Jinja (jinja2)', function () {
  this.timeout(120_000);

  it(`renders ${CASES} random templates of its subset exactly as Jinja does`, function () {
    const python = dbtPythonOrSkip(this);
    const rand = mulberry32(SEED);
    const templates = Array.from({ length: CASES }, () => template(rand));
    const theirs = JSON.parse(execFileSync(python, ['-c', JINJA], { input: JSON.stringify(templates), maxBuffer: 1 << 28 }).toString()) as Array<string | null>;
    let compared = 0;
    let changed = 0;
    for (const [i, t] of templates.entries()) {
      const expected = theirs[i];
      if (expected === null || expected === undefined) continue; // not valid for Jinja either
      const ours = renderStaticJinja(t);
      assert.equal(ours.text, expected, `template ${i}: ${t}`);
      compared++;
      if (ours.changed) changed++;
    }
    assert.ok(compared > CASES * 0.8, `compared ${compared} of ${CASES}`);
    assert.ok(changed > compared * 0.8, `rendered ${changed} of ${compared}`);
  });
});
