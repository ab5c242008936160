import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractJavaConstants } from '../../../src/core/workspace/codeConstants/java';
import { extractPhpConstants } from '../../../src/core/workspace/codeConstants/php';
import { extractPythonConstants } from '../../../src/core/workspace/codeConstants/python';
import { extractTypeScriptConstants } from '../../../src/core/workspace/codeConstants/typescript';
import type { ConstantMap } from '../../../src/core/workspace/facts';

const dir = path.join(__dirname, '../../fixtures/workspace/code');
const read = (f: string): string => readFileSync(path.join(dir, f), 'utf8');
const byName = (maps: ConstantMap[], name: string): ConstantMap => {
  const m = maps.find((x) => x.name === name);
  assert.ok(m, `no map named ${name}; got ${maps.map((x) => x.name).join(', ')}`);
  return m;
};
const pairs = (m: ConstantMap): Array<[string | number, string, number]> => m.entries.map((e) => [e.code, e.label, e.line]);

describe('code constants', () => {
  it('PHP: switch returning strings, arrays, class constants and backed enums, with lines', () => {
    const maps = extractPhpConstants(read('vendors.php'), 'vendors.php');
    const sw = byName(maps, 'vendorName');
    assert.equal(sw.shape, 'switch');
    assert.deepEqual(pairs(sw), [[10, 'Acme Supplies', 17], [20, 'Globex', 18], [30, 'Initech', 19]]);
    assert.deepEqual(pairs(byName(maps, 'regions')).map((p) => p.slice(0, 2)), [[1, 'North'], [2, 'South'], [3, 'East']]);
    assert.deepEqual(pairs(byName(maps, 'legacy')), [[100, 'Paper', 27], [200, 'Toner', 28]]);
    assert.deepEqual(pairs(byName(maps, 'VendorStatus')).map((p) => p.slice(0, 2)), [[1, 'ACTIVE'], [2, 'SUSPENDED'], [9, 'CLOSED']]);
    assert.equal(byName(maps, 'Tier').shape, 'enum');
    assert.ok(!maps.some((m) => m.name === 'config'), 'string-keyed config arrays are not code maps');
    assert.ok(maps.every((m) => m.origin.file === 'vendors.php' && m.language === 'php'));
  });

  it('PHP 8: match returning strings, and a backed enum labelled by its match ($this)', () => {
    const maps = extractPhpConstants(`<?php
function carrierName(int $code): string {
    return match ($code) {
        1 => 'DHL',
        2, 3 => 'UPS',
        4 => strtoupper($x),
        default => 'Other',
    };
}
$tier = match ($row['tier']) { 1 => 'Gold', 2 => 'Silver' };
enum OrderStatus: int {
    case New = 1;
    case Paid = 2;
    public function label(): string {
        return match ($this) {
            self::New => 'New order',
            OrderStatus::Paid => 'Paid in full',
        };
    }
    public function isOpen(): bool { return match ($this) { self::New => true, default => false }; }
}
enum Half: int { case A = 1; case B = 2; public function x(): string { return match ($this) { self::A => 'only a' }; } }
`, 'orders.php');
    assert.deepEqual(pairs(byName(maps, 'carrierName')), [[1, 'DHL', 4], [2, 'UPS', 5], [3, 'UPS', 5]]);
    assert.equal(byName(maps, 'carrierName').shape, 'match');
    assert.deepEqual(pairs(byName(maps, 'tier')).map((p) => p.slice(0, 2)), [[1, 'Gold'], [2, 'Silver']]);
    assert.deepEqual(pairs(byName(maps, 'OrderStatus')).map((p) => p.slice(0, 2)), [[1, 'New order'], [2, 'Paid in full']]);
    assert.deepEqual(pairs(byName(maps, 'Half')).map((p) => p.slice(0, 2)), [[1, 'A'], [2, 'B']], 'a match naming only some cases does not label them');
  });

  it('Python: functions returning a string per code through match/case or an if/elif chain', () => {
    const maps = extractPythonConstants(`def carrier_name(code: int) -> str:
    match code:
        case 1:
            return "DHL"
        case 2 | 3: return 'UPS'
        case 4:
            log(code)
        case _:
            return "Other"

def status_label(status):
    if status == 1:
        return "new"
    elif status in (2, 5):
        return "paid"
    elif status == 9: return 'closed'
    else:
        return "?"

def not_a_lookup(x, y):
    if x == 1:
        return "a"
    elif y == 2:
        return "b"
`, 'labels.py');
    assert.deepEqual(pairs(byName(maps, 'carrier_name')), [[1, 'DHL', 3], [2, 'UPS', 5], [3, 'UPS', 5]]);
    assert.equal(byName(maps, 'carrier_name').shape, 'match');
    assert.deepEqual(pairs(byName(maps, 'status_label')), [[1, 'new', 12], [2, 'paid', 14], [5, 'paid', 14], [9, 'closed', 16]]);
    assert.ok(!maps.some((m) => m.name === 'not_a_lookup'), 'branches on two variables are no lookup');
  });

  it('Java switch expressions with arrows and several codes per case; TypeScript maps with an index-signature type', () => {
    const java = extractJavaConstants('class A { static String carrier(int c) { return switch (c) { case 1 -> "DHL"; case 2, 3 -> "UPS"; default -> "Other"; }; } }', 'A.java');
    assert.deepEqual(pairs(byName(java, 'carrier')).map((p) => p.slice(0, 2)), [[1, 'DHL'], [2, 'UPS'], [3, 'UPS']]);
    const ts = extractTypeScriptConstants("export const byCode: { [code: number]: string } = { 1: 'a', 2: 'b' };", 'a.ts');
    assert.deepEqual(pairs(byName(ts, 'byCode')).map((p) => p.slice(0, 2)), [[1, 'a'], [2, 'b']]);
  });

  it('Python: IntEnum, IntegerChoices with labels, int→str dicts, choices tuples', () => {
    const maps = extractPythonConstants(read('status.py'), 'status.py');
    assert.deepEqual(pairs(byName(maps, 'OrderStatus')), [[1, 'PENDING', 6], [2, 'SHIPPED', 7], [3, 'CANCELLED', 9]]);
    assert.deepEqual(pairs(byName(maps, 'Priority')).map((p) => p.slice(0, 2)), [[1, 'Low'], [2, 'High']]);
    assert.deepEqual(pairs(byName(maps, 'PAYMENT_METHODS')).map((p) => p[1]), ['Card', 'Cash', 'Wire']);
    assert.deepEqual(pairs(byName(maps, 'STATUS_CHOICES')), [[1, 'Active', 24], [2, 'Inactive', 25]]);
    assert.equal(byName(maps, 'state').shape, 'choices');
    assert.ok(!maps.some((m) => m.name === 'NOT_A_MAP'));
  });

  it("Python: enum members numbered by auto() as Python numbers them (a Flag's by powers of two), and string members", () => {
    const maps = extractPythonConstants(
      [
        'from enum import Enum, IntEnum, IntFlag, auto',
        'class Stage(IntEnum):',
        '    NEW = auto()',
        '    PAID = auto()',
        '    LEGACY = 10',
        '    SHIPPED = enum.auto()',
        'class Access(IntFlag):',
        '    READ = auto()',
        '    WRITE = auto()',
        '    BOTH = 3',
        '    ADMIN = auto()',
        'class Color(Enum):',
        "    RED = 'r'",
        '    BLUE = "b"',
        '    LATER = auto()',
        'class Grade(models.TextChoices):',
        "    DRAFT = 'D', _('Draft')",
        "    FINAL = 'F', _('Final')",
      ].join('\n'),
      'enums.py',
    );
    // what Python itself gives (checked with CPython): 1, 2, 10, 11; 1, 2, 3, 4; 'r', 'b', 1
    assert.deepEqual(pairs(byName(maps, 'Stage')), [[1, 'NEW', 3], [2, 'PAID', 4], [10, 'LEGACY', 5], [11, 'SHIPPED', 6]]);
    assert.deepEqual(pairs(byName(maps, 'Access')).map((p) => p.slice(0, 2)), [[1, 'READ'], [2, 'WRITE'], [3, 'BOTH'], [4, 'ADMIN']]);
    assert.deepEqual(pairs(byName(maps, 'Color')).map((p) => p.slice(0, 2)), [['r', 'RED'], ['b', 'BLUE'], [1, 'LATER']]);
    assert.deepEqual(pairs(byName(maps, 'Grade')).map((p) => p.slice(0, 2)), [['D', 'Draft'], ['F', 'Final']]);
  });

  it('TypeScript: enum members set by constant expressions, folded as TypeScript folds them, and none made up', () => {
    const src = 'enum Perm { None = 0, Read = 1 << 0, Write = 1 << 1, ReadWrite = Read | Perm.Write, All = ~(~0 << 3), Next }\n'
      + "enum Odd { A = 'a'.length, B, C = 5, D }\nenum Neg { Low = -1, Mid, High = -(-3), Pow = 2 ** 3 ** 2 }\n";
    const maps = extractTypeScriptConstants(src, 'perm.ts');
    // what TypeScript compiles them to: 0, 1, 2, 3, 7, 8 · (A, B not constant) 5, 6 · -1, 0, 3, 512
    assert.deepEqual(pairs(byName(maps, 'Perm')).map((p) => p[0]), [0, 1, 2, 3, 7, 8]);
    assert.deepEqual(pairs(byName(maps, 'Odd')).map((p) => p.slice(0, 2)), [[5, 'C'], [6, 'D']]);
    assert.deepEqual(pairs(byName(maps, 'Neg')).map((p) => p[0]), [-1, 0, 3, 512]);
  });

  it("Java: a class's static final int constants and an interface's int fields; PHP: a string-backed enum", () => {
    const java = extractJavaConstants(
      [
        'public class OrderConstants {',
        '    public static final int STATUS_PENDING = 1;',
        '    public final static int STATUS_PAID = 2;',
        '    private static final String TABLE = "orders";',
        '    private int counter = 0;',
        '    static final long STATUS_SHIPPED = 3L;',
        '    void run() { int local = 9; }',
        '    static class Inner { static final int X = 1; static final int Y = 2; }',
        '}',
        'interface Codes { int TYPE_A = 1; int TYPE_B = 2; }',
      ].join('\n'),
      'OrderConstants.java',
    );
    assert.deepEqual(pairs(byName(java, 'OrderConstants')), [[1, 'STATUS_PENDING', 2], [2, 'STATUS_PAID', 3], [3, 'STATUS_SHIPPED', 6]]);
    assert.deepEqual(pairs(byName(java, 'Inner')).map((p) => p.slice(0, 2)), [[1, 'X'], [2, 'Y']]);
    assert.deepEqual(pairs(byName(java, 'Codes')).map((p) => p.slice(0, 2)), [[1, 'TYPE_A'], [2, 'TYPE_B']]);
    const php = extractPhpConstants("<?php\nenum Suit: string { case Hearts = 'H'; case Spades = 'S'; }\nclass Paths { const HOME = '/'; const ABOUT = '/about'; }\n", 'suit.php');
    assert.deepEqual(pairs(byName(php, 'Suit')).map((p) => p.slice(0, 2)), [['H', 'Hearts'], ['S', 'Spades']]);
    assert.ok(!php.some((m) => m.name === 'Paths'), 'string constants of a class are no codes');
  });

  it('TypeScript/JavaScript: objects written as enums, names to distinct integer codes, and no config object', () => {
    const src = [
      'export const STATUS = { PENDING: 1, PAID: 2, SHIPPED: 3 } as const;',
      "module.exports.REGIONS = Object.freeze({ NORTH: 1, 'SOUTH': 2 });",
      'const SIZE = { WIDTH: 100, HEIGHT: 100 };',
      'const layout = { width: 100, height: 200 };',
      'const MIXED = { A: 1, B: "x" };',
    ].join('\n');
    const maps = extractTypeScriptConstants(src, 'codes.js', 'javascript');
    assert.deepEqual(pairs(byName(maps, 'STATUS')), [[1, 'PENDING', 1], [2, 'PAID', 1], [3, 'SHIPPED', 1]]);
    assert.equal(byName(maps, 'STATUS').shape, 'enum');
    assert.deepEqual(pairs(byName(maps, 'REGIONS')).map((p) => p.slice(0, 2)), [[1, 'NORTH'], [2, 'SOUTH']]);
    assert.deepEqual(maps.map((m) => m.name).sort(), ['REGIONS', 'STATUS'], 'repeated values, lower-case keys and mixed values are no codes');
  });

  it('TypeScript: enums with auto-increment, as-const objects, typed records, Map pairs, switch', () => {
    const maps = extractTypeScriptConstants(read('codes.ts'), 'codes.ts');
    assert.deepEqual(pairs(byName(maps, 'Channel')), [[1, 'Web', 2], [2, 'Store', 3], [5, 'Phone', 4]]);
    assert.deepEqual(pairs(byName(maps, 'REGION_NAMES')), [[1, 'North', 8], [2, 'South', 9]]);
    assert.deepEqual(pairs(byName(maps, 'lookup')).map((p) => p.slice(0, 2)), [[7, 'Seven'], [8, 'Eight']]);
    assert.deepEqual(pairs(byName(maps, 'm')).map((p) => p.slice(0, 2)), [[1, 'one'], [2, 'two']]);
    assert.deepEqual(pairs(byName(maps, 'channelLabel')).map((p) => p.slice(0, 2)), [[1, 'Web'], [2, 'Store']]);
  });

  it('TypeScript: string enums and records keyed by enum members', () => {
    const src = "enum Carrier { UPS = 'UPS', FedEx = 'FEDEX' }\nconst NAMES: Record<Carrier, string> = {\n  [Carrier.UPS]: 'UPS Ground',\n  [Carrier.FedEx]: 'FedEx',\n};\n";
    const maps = extractTypeScriptConstants(src, 'c.ts');
    assert.deepEqual(pairs(byName(maps, 'Carrier')).map((p) => p.slice(0, 2)), [['UPS', 'UPS'], ['FEDEX', 'FedEx']]);
    assert.deepEqual(pairs(byName(maps, 'NAMES')), [['UPS', 'UPS Ground', 3], ['FEDEX', 'FedEx', 4]]);
  });

  it('TypeScript: a Map with type arguments is named after its variable', () => {
    const src = "const labels = new Map<number, string>([[1, 'one'], [2, 'two']]);\nconst nested = new Map<number, Array<string>>([[3, 'x'], [4, 'y']]);\nif (a < b && c > ([[5, 'p'], [6, 'q']])) {}\n";
    const maps = extractTypeScriptConstants(src, 'm.ts');
    assert.deepEqual(pairs(byName(maps, 'labels')), [[1, 'one', 1], [2, 'two', 1]]);
    assert.deepEqual(pairs(byName(maps, 'nested')).map((p) => p[0]), [3, 4]);
    // a comparison before a parenthesis is not a type argument list
    assert.equal(maps.find((m) => m.entries[0]!.code === 5)?.name, 'object@3');
  });

  it('TypeScript: numeric computed keys count as codes; other computed keys do not make a code map', () => {
    const src = "const NAMES = { 1: 'UPS', [2]: 'FedEx', [-1]: 'None' };\nconst cfg = { [key]: 'x', ['b']: 'y' };\n";
    const maps = extractTypeScriptConstants(src, 'k.ts');
    assert.deepEqual(pairs(byName(maps, 'NAMES')), [[1, 'UPS', 1], [2, 'FedEx', 1], [-1, 'None', 1]]);
    assert.ok(!maps.some((m) => m.name === 'cfg'));
  });

  it('Java: enums with codes (and constant bodies), Map.of, switch', () => {
    const maps = extractJavaConstants(read('Vendor.java'), 'Vendor.java');
    assert.deepEqual(pairs(byName(maps, 'VendorType')), [[1, 'Supplier', 6], [2, 'Carrier', 7], [3, 'Broker', 10]]);
    assert.deepEqual(pairs(byName(maps, 'COUNTRY')).map((p) => p.slice(0, 2)), [[1, 'US'], [2, 'CA']]);
    assert.deepEqual(pairs(byName(maps, 'name')).map((p) => p.slice(0, 2)), [[1, 'one'], [2, 'two']]);
  });

  it('survives unterminated strings and comments without hanging', () => {
    for (const src of ["<?php $a = [1 => 'x', 2 => 'y", '/* never closed', '"""open', "enum E { A = 1, B = 'x", 'switch (x) { case 1: return "a']) {
      extractPhpConstants(src, 'a.php');
      extractPythonConstants(src, 'a.py');
      extractTypeScriptConstants(src, 'a.ts');
      extractJavaConstants(src, 'A.java');
    }
  });

  it("switch: a case's codes get the label of its own first statement, never a later case's", () => {
    const php = extractPhpConstants(
      "<?php\nfunction status_label($s) {\n  switch ($s) {\n    case 0: return null;\n    case 1: throw new Exception('gone');\n    case 2: return 'Blocked';\n    case 3: case 4: return 'Deleted';\n    case 5: log($s); return 'Late';\n  }\n}\n",
      'a.php',
    );
    assert.deepEqual(pairs(byName(php, 'status_label')).map((p) => p.slice(0, 2)), [[2, 'Blocked'], [3, 'Deleted'], [4, 'Deleted']]);
    const java = extractJavaConstants(
      'class G {\n  String s(int m) {\n    switch (m) {\n      case 0: return ""; case 1: return " "; case 2: return "Two"; case 3: return "Three";\n    }\n    return null;\n  }\n' +
        '  String label(int type, int sub) {\n    switch (type) {\n      case 1:\n        switch (sub) { case 10: return "Ten"; case 20: return "Twenty"; }\n        return "One";\n      case 2: return "Two";\n    }\n    return null;\n  }\n}\n',
      'G.java',
    );
    assert.deepEqual(pairs(byName(java, 's')).map((p) => p.slice(0, 2)), [[2, 'Two'], [3, 'Three']]);
    // the nested switch is its own map, and its codes are not the outer one's
    assert.deepEqual(java.filter((m) => m.name === 'label').map((m) => m.entries.map((e) => e.code)), [[10, 20]]);
  });

  it('switch: an arrow function is named by its variable; an unclosed switch gives nothing, at once', () => {
    const ts = extractTypeScriptConstants("export const getStatusLabel = (status: number) => {\n  switch (Number(status)) { case 0: return 'Pending'; case 1: return 'Done'; }\n};\n", 'a.ts');
    assert.deepEqual(ts.map((m) => m.name), ['getStatusLabel']);
    // a file being typed: every switch's cases would otherwise run on to the end of the file, once per switch
    const open = Array.from({ length: 2000 }, (_, k) => `switch (x${k}) { case ${k}: return 'L${k}';`).join('\n');
    assert.deepEqual(extractTypeScriptConstants(open, 'b.ts'), []);
  });

  it("codes written as numeric strings keep their text when it is not a plain number ('05', '0200')", () => {
    const php = extractPhpConstants("<?php\n$responses = ['00' => 'Approved', '05' => 'Do not honour', '51' => 'Insufficient funds'];\n", 'a.php');
    assert.deepEqual(pairs(byName(php, 'responses')).map((p) => p[0]), ['00', '05', 51]);
    const py = extractPythonConstants("MONTHS = {'01': 'January', '02': 'February'}\n", 'a.py');
    assert.deepEqual(pairs(byName(py, 'MONTHS')).map((p) => p[0]), ['01', '02']);
  });

  it('Python: Django choices with translated labels, constant codes, trailing commas and wrapped lines; auto() in StrEnum and TextChoices', () => {
    const maps = extractPythonConstants(
      [
        'class OrderStatus:',
        "    DRAFT = 'draft'",
        "    PAID = 'paid'",
        '    CHOICES = [',
        "        (DRAFT, pgettext_lazy('Order status', 'Draft')),",
        "        (OrderStatus.PAID, pgettext_lazy('Order status', 'Paid')),",
        '    ]',
        "STATUS_CHOICES = ((1, _('Open')), (2, gettext_lazy('Closed')))",
        'class Kind(models.TextChoices):',
        "    SIMPLE = 'S', _('Simple'),",
        '    BUNDLE = (',
        "        'B', _(",
        '            "Bundle"',
        '        )',
        '    )',
        '    IN_PROGRESS = auto()',
        'class Level(models.IntegerChoices):',
        '    LOW = 1',
        "    HIGH_RISK = 2, ugettext_lazy('High risk')",
        'class Channel(StrEnum):',
        '    EMAIL = auto()',
        '    SMS = auto()',
      ].join('\n'),
      'models.py',
    );
    assert.deepEqual(pairs(byName(maps, 'OrderStatus.CHOICES')).map((p) => p.slice(0, 2)), [['draft', 'Draft'], ['paid', 'Paid']]);
    assert.deepEqual(pairs(byName(maps, 'STATUS_CHOICES')).map((p) => p.slice(0, 2)), [[1, 'Open'], [2, 'Closed']]);
    // Django: TextChoices' auto() is the name, a choice without a label is labelled by its name, title-cased
    assert.deepEqual(pairs(byName(maps, 'Kind')), [['S', 'Simple', 10], ['B', 'Bundle', 11], ['IN_PROGRESS', 'In Progress', 16]]);
    assert.deepEqual(pairs(byName(maps, 'Level')).map((p) => p.slice(0, 2)), [[1, 'Low'], [2, 'High risk']]);
    // Python: a StrEnum's auto() is the lower-cased name
    assert.deepEqual(pairs(byName(maps, 'Channel')).map((p) => p.slice(0, 2)), [['email', 'EMAIL'], ['sms', 'SMS']]);
  });

  it("Python: an enum's members are its body's own lines, not a docstring's or a method's; values in any base, shifts and unions", () => {
    const maps = extractPythonConstants(
      [
        'class Status(IntEnum):',
        '    """',
        '    Example:',
        '        retries = 3',
        '    """',
        '    ACTIVE = 0x01',
        '    INACTIVE = 0b10',
        '    ARCHIVED = 1_000',
        '',
        '    def color(self):',
        "        color = 'red'",
        '        return color',
        'class Perm(ChoiceEnum):',
        '    READ = 1 << 0',
        '    WRITE = 1 << 1',
        '    BOTH = READ | WRITE',
        'class GroupSubStatus:',
        '    UNTIL_ESCALATING = 1',
        '    ONGOING = 2',
        'class Config:',
        '    TIMEOUT = 30',
        '    RETRIES = 3',
        "    HOST = 'db'",
      ].join('\n'),
      'status.py',
    );
    assert.deepEqual(pairs(byName(maps, 'Status')), [[1, 'ACTIVE', 6], [2, 'INACTIVE', 7], [1000, 'ARCHIVED', 8]]);
    assert.deepEqual(pairs(byName(maps, 'Perm')).map((p) => p.slice(0, 2)), [[1, 'READ'], [2, 'WRITE'], [3, 'BOTH']]);
    // a plain class of distinct integer constants and nothing else is a code table; a config class is not
    assert.deepEqual(pairs(byName(maps, 'GroupSubStatus')).map((p) => p.slice(0, 2)), [[1, 'UNTIL_ESCALATING'], [2, 'ONGOING']]);
    assert.ok(!maps.some((m) => m.name === 'Config'));
  });

  it('PHP: labels through translation calls (__(), Yii::t()) in switches and arrays', () => {
    const maps = extractPhpConstants(
      "<?php\nclass S {\n  public static function label($c) {\n    switch ($c) { case 1: return __('Active'); case 2: return __('Blocked', 'shop'); }\n  }\n" +
        "  public static $texts = [1 => Yii::t('app', 'Open'), 2 => Yii::t('app', 'Closed')];\n}\n",
      'S.php',
    );
    assert.deepEqual(pairs(byName(maps, 'label')).map((p) => p.slice(0, 2)), [[1, 'Active'], [2, 'Blocked']]);
    assert.deepEqual(pairs(byName(maps, 'texts')).map((p) => p.slice(0, 2)), [[1, 'Open'], [2, 'Closed']]);
  });

  it("TypeScript: a frozen or `as const` object is an enum with PascalCase keys too, and with string values that are their key's name", () => {
    const maps = extractTypeScriptConstants(
      "export const OrderStatus = { PENDING: 'pending', IN_PROGRESS: 'in-progress', DONE: 'done' } as const;\n" +
        'export const Visibility = Object.freeze({ Pending: 1, Visible: 2 });\n' +
        "const ROUTES = { HOME: '/home', ABOUT: '/about' } as const;\n" +
        'const Sizes = { Small: 1, Large: 2 };\n',
      'status.ts',
    );
    assert.deepEqual(pairs(byName(maps, 'OrderStatus')).map((p) => p.slice(0, 2)), [['pending', 'PENDING'], ['in-progress', 'IN_PROGRESS'], ['done', 'DONE']]);
    assert.deepEqual(pairs(byName(maps, 'Visibility')).map((p) => p.slice(0, 2)), [[1, 'Pending'], [2, 'Visible']]);
    // strings that are not their key's name, and a PascalCase object nobody declared constant, are no code tables
    assert.deepEqual(maps.map((m) => m.name).sort(), ['OrderStatus', 'Visibility']);
  });
});
