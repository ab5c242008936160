import { numericValue, type Token } from './lexer';
import { isPunct } from './matchers';

/** How a language folds an enum member's constant expression. */
export interface ConstantRules {
  /** Binary operators by precedence (higher binds tighter); `**` is right-associative. */
  precedence: Readonly<Record<string, number>>;
  /** An earlier member's value, by name (`Read`) or qualified (`Perm.Read`: qualifier `Perm`); undefined for anything else. */
  member(name: string, qualifier?: string): number | undefined;
  /** A one-character literal `'A'` is its character code (C#). */
  chars?: boolean;
  /** Only integers are codes (C#); else any finite number (TypeScript). */
  integer?: boolean;
}

/** TypeScript's operators, as TypeScript folds enum initializers. */
export const TYPESCRIPT_OPERATORS: Readonly<Record<string, number>> = { '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '>>>': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6, '**': 7 };

/** C#'s operators an enum's constant expressions use. */
export const CSHARP_OPERATORS: Readonly<Record<string, number>> = { '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6 };

class NotConstant extends Error {}

const fail = (): never => {
  throw new NotConstant();
};

/**
 * The value of the constant expression in tokens [from, to): numbers, earlier members, parentheses, unary `-` `+` `~`
 * and the rules' operators. Undefined for anything else (a call, a cast, a string expression), so that no member gets
 * a made-up code.
 */
export function constantValue(tokens: Token[], from: number, to: number, rules: ConstantRules): number | undefined {
  let i = from;
  const primary = (): number => {
    const t = tokens[i];
    if (!t || i >= to) return fail();
    i++;
    if (t.type === 'punct' && (t.value === '-' || t.value === '+' || t.value === '~')) {
      const v = primary();
      return t.value === '-' ? -v : t.value === '~' ? ~v : v;
    }
    if (isPunct(t, '(')) {
      const v = binary(0);
      if (!isPunct(tokens[i], ')')) return fail();
      i++;
      return v;
    }
    if (t.type === 'num') return numericValue(t) ?? fail();
    if (t.type === 'str' && rules.chars && t.value.length === 1) return t.value.charCodeAt(0);
    if (t.type !== 'id') return fail();
    if (isPunct(tokens[i], '.') && tokens[i + 1]?.type === 'id') {
      i += 2;
      return rules.member(tokens[i - 1]!.value, t.value) ?? fail();
    }
    return rules.member(t.value) ?? fail();
  };
  const binary = (min: number): number => {
    let left = primary();
    for (;;) {
      const op = tokens[i];
      const precedence = op && i < to && op.type === 'punct' ? rules.precedence[op.value] : undefined;
      if (precedence === undefined || precedence <= min) return left;
      i++;
      const right = binary(op!.value === '**' ? precedence - 1 : precedence);
      left = applyOperator(op!.value, left, right);
    }
  };
  try {
    const v = binary(0);
    return i === to && Number.isFinite(v) && (!rules.integer || Number.isInteger(v)) ? v : undefined;
  } catch (err) {
    if (err instanceof NotConstant) return undefined;
    throw err;
  }
}

function applyOperator(op: string, a: number, b: number): number {
  switch (op) {
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '<<': return a << b;
    case '>>': return a >> b;
    case '>>>': return a >>> b;
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '%': return a % b;
    default: return a ** b;
  }
}
