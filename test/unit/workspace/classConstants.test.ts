import assert from 'node:assert/strict';
import { extractCSharpConstants } from '../../../src/core/workspace/codeConstants/csharp';
import { extractGoConstants } from '../../../src/core/workspace/codeConstants/go';
import { extractJavaConstants } from '../../../src/core/workspace/codeConstants/java';
import { extractKotlinConstants } from '../../../src/core/workspace/codeConstants/kotlin';
import { extractPhpConstants } from '../../../src/core/workspace/codeConstants/php';
import type { ConstantMap } from '../../../src/core/workspace/facts';

const byName = (maps: ConstantMap[], name: string): ConstantMap => {
  const m = maps.find((x) => x.name === name);
  assert.ok(m, `no map named ${name}; got ${maps.map((x) => x.name).join(', ')}`);
  return m;
};
/** `code=label` of each entry: what a CASE expression would be written from. */
const codes = (m: ConstantMap): string[] => m.entries.map((e) => `${e.code}=${e.label}`);
const names = (maps: ConstantMap[]): string[] => maps.map((m) => m.name);

describe('class constants and enums (Java, Kotlin, PHP, Go, C#)', () => {
  it('PHP: a class of two constant groups gives a map per group, and a group whose codes repeat gives none', () => {
    const maps = extractPhpConstants(
      [
        '<?php',
        'class Ticket extends ActiveRecord {',
        '    const STATE_OPEN = 10;',
        '    const STATE_CLOSED = 0;',
        '    const STATE_HELD = 1;',
        '',
        '    const STATE_REASON_DUPLICATE = 1;',
        '    const STATE_REASON_INVALID = 2;',
        '',
        '    const PAGE_SIZE = 20;',
        '    const PAGE_LIMIT = 20;',
        '}',
      ].join('\n'),
      'Ticket.php',
    );
    assert.deepEqual(names(maps), ['Ticket.STATE', 'Ticket.STATE_REASON']);
    assert.deepEqual(codes(byName(maps, 'Ticket.STATE')), ['10=STATE_OPEN', '0=STATE_CLOSED', '1=STATE_HELD']);
    assert.deepEqual(codes(byName(maps, 'Ticket.STATE_REASON')), ['1=STATE_REASON_DUPLICATE', '2=STATE_REASON_INVALID']);
    assert.ok(maps.every((m) => m.shape === 'class-constants' && m.origin.line === 2));
  });

  it('PHP: one declaration of several constants gives each of them', () => {
    const maps = extractPhpConstants("<?php\nclass Grade {\n    const GRADE_LOW = 1, GRADE_MID = 2,\n        GRADE_HIGH = 3;\n    const NAME = 'grade', OTHER = self::GRADE_LOW;\n}\n", 'Grade.php');
    assert.deepEqual(byName(maps, 'Grade').entries.map((e) => [e.code, e.label, e.line]), [[1, 'GRADE_LOW', 3], [2, 'GRADE_MID', 3], [3, 'GRADE_HIGH', 4]]);
  });

  it("Java: a class's serialVersionUID is no code; its constant groups are maps of their own", () => {
    const maps = extractJavaConstants(
      [
        'public class Shipment implements Serializable {',
        '    private static final long serialVersionUID = 1L;',
        '    public static final int STATE_NEW = 1;',
        '    public static final int STATE_SENT = 2;',
        '    public static final double RATE = 1.5;',
        '}',
        'public class Invoice implements Serializable {',
        '    private static final long serialVersionUID = 7L;',
        '    public static final int KIND_SALE = 1;',
        '    public static final int KIND_REFUND = 2;',
        '    public static final int STATE_OPEN = 1;',
        '    public static final int STATE_PAID = 2;',
        '}',
      ].join('\n'),
      'Shipment.java',
    );
    assert.deepEqual(codes(byName(maps, 'Shipment')), ['1=STATE_NEW', '2=STATE_SENT']);
    assert.deepEqual(codes(byName(maps, 'Invoice.KIND')), ['1=KIND_SALE', '2=KIND_REFUND']);
    assert.deepEqual(codes(byName(maps, 'Invoice.STATE')), ['1=STATE_OPEN', '2=STATE_PAID']);
  });

  it('Kotlin: floats are no codes, an object of repeated values is no code table, and a sub-group with codes of its own stays with its group', () => {
    const maps = extractKotlinConstants(
      [
        'object Timing {',
        '    const val SPLASH_DELAY = 1500L',
        '    const val POLL_DELAY = 1500L',
        '    const val MIN_ZOOM = 2F',
        '    const val MAX_ZOOM = 18.0',
        '    const val RETRY_COUNT = 3',
        '}',
        'object Scale {',
        '    const val SMALL = 1',
        '    const val LARGE = 2.5',
        '}',
        'class Requests {',
        '    companion object {',
        '        const val STATE_IDLE = 1',
        '        const val STATE_DONE = 2',
        '        const val STATE_FAILED = 3',
        '        const val STATE_FAILED_OFFLINE = 4',
        '        const val STATE_FAILED_DENIED = 5',
        '    }',
        '}',
      ].join('\n'),
      'Timing.kt',
    );
    assert.deepEqual(names(maps), ['Requests']);
    assert.deepEqual(codes(maps[0]!), ['1=STATE_IDLE', '2=STATE_DONE', '3=STATE_FAILED', '4=STATE_FAILED_OFFLINE', '5=STATE_FAILED_DENIED']);
  });

  it('Go: an untyped block of settings is no enum; typed blocks, iota blocks and constants sharing a prefix are', () => {
    const maps = extractGoConstants(
      [
        'package server',
        'const (',
        '\tlistenHost     = "0.0.0.0"',
        '\tlistenPort     = 7070',
        '\texitCode       = 1',
        '\treadBufferSize = 1024',
        '\tmaxClients     = 64',
        ')',
        'const (',
        '\tReplyAccepted = 7001',
        '\tReplyRejected = 7002',
        '\tReplyQueued   = 7003',
        ')',
        'const (',
        '\tBaseURL = "/api"',
        '\tTimeout = 30',
        ')',
        'type Level int',
        'const (',
        '\tLevelLow Level = iota',
        '\tLevelHigh',
        ')',
      ].join('\n'),
      'server.go',
    );
    assert.deepEqual(
      maps.map((m) => `${m.name} ${codes(m).join(',')}`),
      ['const@9 7001=ReplyAccepted,7002=ReplyRejected,7003=ReplyQueued', 'Level 0=LevelLow,1=LevelHigh'],
    );
  });

  it("Go: a type's string constants are codes, and a lone constant of the type joins its block", () => {
    const maps = extractGoConstants(
      [
        'package v1',
        '// VolumeState is where a volume is in its life.',
        'type VolumeState string',
        'const (',
        '\t// VolumeBound is attached to a claim.',
        '\tVolumeBound VolumeState = "Bound"',
        '\tVolumeReleased VolumeState = "Released"',
        ')',
        'type VoteKind int',
        '',
        '// VoteKindNone is no vote at all.',
        'const VoteKindNone VoteKind = -1',
        '',
        'const (',
        '\tVoteKindUp VoteKind = iota',
        '\tVoteKindDown',
        ')',
      ].join('\n'),
      'types.go',
    );
    assert.deepEqual(codes(byName(maps, 'VolumeState')), ['Bound=VolumeBound', 'Released=VolumeReleased']);
    assert.deepEqual(codes(byName(maps, 'VoteKind')), ['-1=VoteKindNone', '0=VoteKindUp', '1=VoteKindDown']);
    assert.equal(byName(maps, 'VoteKind').origin.line, 12);
  });

  it("Go: a map keyed by the file's constants is read through their values", () => {
    const maps = extractGoConstants(
      [
        'package jobs',
        'type Phase int',
        'const (',
        '\tPhaseIdle Phase = iota',
        '\tPhaseBusy',
        '\tPhaseStopped',
        ')',
        'var phaseNames = map[Phase]string{',
        '\tPhaseStopped: "stopped",',
        '\tPhaseIdle:    "idle",',
        '\tPhaseBusy:    "busy",',
        '}',
        'var unknown = map[Phase]string{PhaseIdle: "idle", Elsewhere: "x"}',
      ].join('\n'),
      'phase.go',
    );
    assert.deepEqual(codes(byName(maps, 'phaseNames')), ['2=stopped', '0=idle', '1=busy']);
    assert.ok(!maps.some((m) => m.name === 'unknown'), 'a key that is no constant of the file leaves the map out');
  });

  it('C#: enum members set by expressions are evaluated; one that cannot be is left out, not the enum', () => {
    const maps = extractCSharpConstants(
      [
        '[Flags]',
        'public enum Access { None = 0, View = 1 << 0, Edit = 1 << 1, Both = View | Edit, Masked = Access.Both & ~View }',
        'public enum Rights { Nothing = 0, Read = 0x1, Write = 0x2, Everything = Read | Write }',
        "public enum Flag { Yes = 'Y', No = 'N' }",
        'public enum Odd { First = 1, Second = First, Third, Outside = (int)Other.Value, AfterOutside, Last = 9 }',
      ].join('\n'),
      'Access.cs',
    );
    assert.deepEqual(codes(byName(maps, 'Access')), ['0=None', '1=View', '2=Edit', '3=Both', '2=Masked']);
    assert.deepEqual(codes(byName(maps, 'Rights')), ['0=Nothing', '1=Read', '2=Write', '3=Everything']);
    // a char is its character code, as C# converts it
    assert.deepEqual(codes(byName(maps, 'Flag')), ['89=Yes', '78=No']);
    // a member after one that cannot be evaluated has no value to count on from
    assert.deepEqual(codes(byName(maps, 'Odd')), ['1=First', '1=Second', '2=Third', '9=Last']);
  });

  it("C#: a class's const groups are maps of their own", () => {
    const maps = extractCSharpConstants('public static class Codes {\n  public const int StatusOpen = 1;\n  public const int StatusShut = 2;\n  public const int KindA = 1;\n  public const int KindB = 2;\n}', 'Codes.cs');
    assert.deepEqual(names(maps), ['Codes.Status', 'Codes.Kind']);
  });

  it('Java and Kotlin: annotated enum constants are read, and one string argument is a string code', () => {
    const java = extractJavaConstants(
      [
        'public enum Refund {',
        '    @JsonProperty("asked") ASKED(1, "Asked"),',
        '    @Deprecated',
        '    @JsonProperty("granted") GRANTED(2, "Granted");',
        '    Refund(int code, String label) {}',
        '}',
        'public enum Channel {',
        '    WEB("web"),',
        '    STORE("store");',
        '    private final String value;',
        '}',
        'public enum Lonely { ONLY("only") }',
      ].join('\n'),
      'Refund.java',
    );
    assert.deepEqual(codes(byName(java, 'Refund')), ['1=Asked', '2=Granted']);
    assert.deepEqual(codes(byName(java, 'Channel')), ['web=WEB', 'store=STORE']);
    assert.ok(!java.some((m) => m.name === 'Lonely'), 'one string code is no map');
    const kotlin = extractKotlinConstants(
      '@Serializable\nenum class Refund(val code: Int, val label: String) {\n    @SerialName("asked") ASKED(1, "Asked"),\n    @field:Json(name = "granted") GRANTED(2, "Granted");\n}\nenum class Channel(val value: String) { WEB("web"), STORE("store") }\n',
      'Refund.kt',
    );
    assert.deepEqual(codes(byName(kotlin, 'Refund')), ['1=Asked', '2=Granted']);
    assert.deepEqual(codes(byName(kotlin, 'Channel')), ['web=WEB', 'store=STORE']);
  });
});
