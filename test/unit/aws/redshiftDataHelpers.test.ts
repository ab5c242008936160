import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuthExpiredError, isAuthExpired, mapAuthError } from '../../../src/adapters/aws/authErrors';
import { AwsClientFactory } from '../../../src/adapters/aws/clientFactory';
import { isNetworkError, isThrottle, jitteredBackoff, pollDelay } from '../../../src/adapters/aws/redshiftData/backoff';
import { connectionProfileProblems, dataApiTarget } from '../../../src/adapters/aws/redshiftData/connectionProfile';
import { rewriteUnsafeLongValues } from '../../../src/adapters/aws/redshiftData/exactLongValues';
import { toCell, toOutcome } from '../../../src/adapters/aws/redshiftData/resultMapping';
import { pollToCompletion, realSleep, withRetry } from '../../../src/adapters/aws/redshiftData/statementPolling';
import { csvRows, jsonKeys, parseJsonc } from '../../../src/cli/commands/query';
import { translateNamedParameters } from '../../../test/emulators/redshift-data/namedParameters';

describe('Redshift Data helpers (no network)', () => {
  it('polls 50 ms growing ×1.5 up to a 1 s cap', () => {
    const delays = Array.from({ length: 10 }, (_, i) => pollDelay(i));
    assert.deepEqual(delays.slice(0, 4), [50, 75, 113, 169]);
    assert.equal(Math.max(...delays), 1000);
    assert.ok(delays.every((d, i) => i === 0 || d >= delays[i - 1]));
  });

  it('jitters retries within [0, min(cap, base·2^n))', () => {
    const policy = { maxAttempts: 5, baseMs: 100, maxMs: 1000 };
    assert.equal(jitteredBackoff(3, policy, () => 0), 0);
    assert.equal(jitteredBackoff(3, policy, () => 0.999999), 799);
    assert.equal(jitteredBackoff(10, policy, () => 0.5), 500);
  });

  it('classifies throttles and dropped connections', () => {
    assert.ok(isThrottle({ name: 'ThrottlingException' }));
    assert.ok(isThrottle({ name: 'ActiveStatementsExceededException' }));
    assert.ok(!isThrottle({ name: 'ValidationException' }));
    assert.ok(isNetworkError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
    assert.ok(!isNetworkError({ name: 'InternalServerException', message: 'network', $metadata: { httpStatusCode: 500 } }));
  });

  it('rewrites only unsafe longValue keys into exact stringValue', () => {
    const body =
      '{"Records":[[{"longValue":9007199254740993},{"longValue":42},{"longValue":-9223372036854775808},' +
      '{"stringValue":"{\\"longValue\\":12345678901234567890}"},{"longValue":9007199254740991}]]}';
    const parsed = JSON.parse(rewriteUnsafeLongValues(body)) as { Records: Record<string, unknown>[][] };
    assert.deepEqual(parsed.Records[0], [
      { stringValue: '9007199254740993' },
      { longValue: 42 },
      { stringValue: '-9223372036854775808' },
      { stringValue: '{"longValue":12345678901234567890}' },
      { longValue: 9007199254740991 },
    ]);
  });

  it('maps fields to cells: NULL, bool, double, blob as hex', () => {
    assert.equal(toCell({ isNull: true }), null);
    assert.equal(toCell({ booleanValue: false }), false);
    assert.equal(toCell({ doubleValue: 1.5 }), 1.5);
    assert.equal(toCell({ blobValue: new Uint8Array([1, 171]) }), '01ab');
    assert.equal(toCell({ stringValue: '' }), '');
  });

  it('builds outcomes: nanoseconds to ms, -1 rows as unknown, sub-statements', () => {
    const o = toOutcome({
      Id: 'p',
      Status: 'FAILED',
      Error: 'ERROR: x',
      Duration: 2_500_000,
      ResultRows: -1,
      SubStatements: [{ Id: 'p:1', Status: 'FINISHED', ResultRows: 3, HasResultSet: true, Duration: 1_000_000 }],
    });
    assert.equal(o.durationMs, 2.5);
    assert.equal(o.resultRows, undefined);
    assert.equal(o.subStatements?.[0].resultRows, 3);
    assert.equal(o.subStatements?.[0].hasResultSet, true);
  });

  it('pollToCompletion cancels once on abort and waits for ABORTED', async () => {
    const statuses = ['SUBMITTED', 'STARTED', 'STARTED', 'STARTED', 'ABORTED'];
    let describes = 0;
    let cancels = 0;
    let aborted = false;
    const signal = { get aborted() { return aborted; }, addEventListener: () => undefined, removeEventListener: () => undefined };
    const seen: string[] = [];
    const d = await pollToCompletion(
      {
        describe: async () => {
          const status = statuses[Math.min(describes++, statuses.length - 1)];
          if (describes === 2) aborted = true;
          return { Id: 'x', Status: status };
        },
        cancel: async () => {
          cancels++;
        },
        sleep: async () => undefined,
        now: () => 0,
      },
      { signal, onProgress: (p) => seen.push(p.status) },
    );
    assert.equal(d.Status, 'ABORTED');
    assert.equal(cancels, 1);
    assert.deepEqual(seen, statuses);
  });

  it('pollToCompletion sends the cancel again while the statement runs, and gives control back when Redshift never confirms it', async () => {
    let clock = 0;
    let cancels = 0;
    const controller = new AbortController();
    const d = await pollToCompletion(
      {
        // the warehouse keeps answering STARTED (or UNKNOWN); CancelStatement fails each time
        describe: async () => {
          if (clock > 3_600_000) throw new Error('still polling an hour after the cancel');
          return { Id: 'stuck', Status: cancels > 2 ? 'UNKNOWN' : 'STARTED' };
        },
        cancel: async () => {
          cancels++;
          throw Object.assign(new Error('connection lost'), { name: 'DatabaseConnectionException' });
        },
        sleep: async (ms) => {
          clock += ms;
          if (clock > 3_000) controller.abort();
        },
        now: () => clock,
      },
      { signal: controller.signal },
    );
    assert.equal(d.Status, 'ABORTED');
    assert.match(d.Error ?? '', /had not confirmed it after 60 s \(CancelStatement: connection lost\): the statement stuck was still UNKNOWN/);
    assert.ok(cancels >= 10 && cancels <= 14, `sent again every 5 s for a minute: ${cancels}`);
  });

  it('realSleep leaves no abort listener behind, and withRetry makes no attempt after a cancel during its wait', async () => {
    const controller = new AbortController();
    for (let k = 0; k < 20; k++) await realSleep(1, controller.signal);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
        },
        { sleep: async () => controller.abort(), retryable: isThrottle, signal: controller.signal, policy: { maxAttempts: 5, baseMs: 1, maxMs: 1 } },
      ),
      /slow down/,
    );
    assert.equal(calls, 1);
  });

  it('withRetry retries retryable errors up to maxAttempts, not others', async () => {
    let calls = 0;
    const sleeps: number[] = [];
    const result = await withRetry(
      async () => {
        if (++calls < 3) throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
        return 'ok';
      },
      { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, retryable: isThrottle, policy: { maxAttempts: 5, baseMs: 100, maxMs: 1000 } },
    );
    assert.equal(result, 'ok');
    assert.deepEqual(sleeps, [50, 100]);
    calls = 0;
    await assert.rejects(
      withRetry(async () => { calls++; throw Object.assign(new Error('bad'), { name: 'ValidationException' }); }, { sleep: async () => undefined, retryable: isThrottle }),
      /bad/,
    );
    assert.equal(calls, 1);
  });

  it('recognises SSO / token expiry and leaves other errors alone', () => {
    const sso = Object.assign(new Error('The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login'), { name: 'CredentialsProviderError' });
    assert.ok(isAuthExpired(sso));
    assert.ok(isAuthExpired({ name: 'ExpiredTokenException', message: 'The security token included in the request is expired' }));
    const mapped = mapAuthError(sso, 'dev');
    assert.ok(mapped instanceof AuthExpiredError);
    assert.equal(mapped.hint, 'run `aws sso login --profile dev`');
    const other = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    assert.equal(mapAuthError(other, 'dev'), other);
  });

  it('validates connection profiles and builds the Data API target', () => {
    assert.deepEqual(connectionProfileProblems({ name: 'a', region: 'eu-west-1', database: 'dev', workgroupName: 'wg' }), []);
    assert.match(connectionProfileProblems({ name: 'a', region: 'eu-west-1', database: 'dev' }).join(), /exactly one of clusterIdentifier/);
    assert.match(connectionProfileProblems({ name: 'a', region: 'x', database: 'd', workgroupName: 'w', dbUser: 'u' }).join(), /dbUser works only/);
    assert.deepEqual(dataApiTarget({ name: 'a', region: 'r', database: 'dev', clusterIdentifier: 'c', dbUser: 'u' }), {
      Database: 'dev',
      ClusterIdentifier: 'c',
      DbUser: 'u',
    });
  });

  it('caches one client per (service, region, profile, endpoint) with a quarry user agent', () => {
    const f = new AwsClientFactory({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    try {
      const a = f.redshiftData({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
      assert.equal(f.redshiftData({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' }), a);
      assert.notEqual(f.redshiftData({ region: 'us-east-1', endpoint: 'http://127.0.0.1:2' }), a);
      assert.notEqual(f.redshiftData({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', profile: 'p' }), a);
      assert.match(f.userAgent, /^quarry\/\d+\.\d+\.\d+/);
      assert.equal(f.commonConfig({ region: 'eu-west-1' }).retryMode, 'adaptive');
    } finally {
      f.dispose();
    }
  });

  it("takes a connection's region, when it has none, from the AWS profile's region in the shared config, as the SDK does", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'quarry-awsconfig-'));
    const saved = { AWS_REGION: process.env.AWS_REGION, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE };
    writeFileSync(path.join(dir, 'config'), '[profile analytics]\nregion = ap-southeast-2\n');
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    delete process.env.AWS_REGION;
    const f = new AwsClientFactory({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    try {
      const client = f.redshiftData({ region: '', profile: 'analytics', endpoint: 'http://127.0.0.1:1' });
      assert.equal(await client.config.region(), 'ap-southeast-2');
      assert.deepEqual(connectionProfileProblems({ name: 'a', database: 'dev', workgroupName: 'wg' }), [], 'a connection may leave its region to the AWS profile');
    } finally {
      f.dispose();
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('emulator parameter translation numbers each occurrence and skips casts, strings, comments', () => {
    const t = translateNamedParameters("select :a::int, ':b', \"x:c\", :a -- :d\n /* :e */ $$ :f $$ , :g_1");
    assert.equal(t.text, "select $1::int, ':b', \"x:c\", $2 -- :d\n /* :e */ $$ :f $$ , $3");
    assert.deepEqual(t.occurrences, ['a', 'a', 'g_1']);
  });

  it('CLI formats: RFC 4180 CSV (NULL empty, "" for empty string), JSONC settings, unique JSON keys', () => {
    assert.equal(csvRows([[1, 'a,b', 'say "hi"', null, '', true, 'line\nbreak']]), '1,"a,b","say ""hi""",,"",true,"line\nbreak"\r\n');
    assert.deepEqual(parseJsonc('{ // c\n "quarry.connections": [ {"name": "a//b", /* x */ }, ], }'), {
      'quarry.connections': [{ name: 'a//b' }],
    });
    const kinds = { typeName: 'int4', kind: 'integer' as const };
    assert.deepEqual(jsonKeys([{ name: 'a', ...kinds }, { name: 'a', ...kinds }, { name: 'b', ...kinds }]), ['a', 'a_2', 'b']);
  });
});
