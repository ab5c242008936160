import assert from 'node:assert/strict';
import { ExecuteStatementCommand } from '@aws-sdk/client-redshift-data';
import { connectionProfileProblems } from '../../../src/adapters/aws/redshiftData/connectionProfile';
import { DataApiSession } from '../../../src/adapters/aws/redshiftData/dataApiSession';
import type { RedshiftDataEngine } from '../../../src/adapters/aws/redshiftDataEngine';
import { useStandIn, waitForStatement } from './standIn';

describe('RedshiftDataEngine: one Data API session per connection (stand-in on real PostgreSQL)', function () {
  this.timeout(30_000);
  const s = useStandIn({ pickDelayMs: 10 });
  const engines: RedshiftDataEngine[] = [];
  const engine = (opts?: Parameters<typeof s.engine>[0]): RedshiftDataEngine => {
    const e = s.engine(opts);
    engines.push(e);
    return e;
  };

  afterEach(async () => {
    s.emulator?.faults.clear();
    for (const e of engines.splice(0)) await e.dispose();
  });

  /** The session the stand-in ran a statement in (undefined: a connection of its own). */
  const sessionOf = (statementId: string): string | undefined => s.emulator.statement(statementId)?.sessionId;

  async function run(e: RedshiftDataEngine, sql: string | string[]) {
    const out = await e.execute(sql);
    assert.equal(out.status, 'FINISHED', `${String(sql)}: ${out.error ?? ''}`);
    return out;
  }

  it('BEGIN, DELETE and ROLLBACK run as three statements roll the DELETE back', async () => {
    await s.sql('create table if not exists sess_keep (id int)');
    await s.sql('truncate sess_keep');
    await s.sql('insert into sess_keep values (1), (2)');
    const e = engine();
    await run(e, 'begin');
    await run(e, 'delete from sess_keep where id = 1');
    const outside = await s.sql('select count(*)::int as n from sess_keep');
    assert.equal(outside.rows[0].n, 2, 'the DELETE is not committed while the transaction is open');
    await run(e, 'rollback');
    const after = await s.sql('select count(*)::int as n from sess_keep');
    assert.equal(after.rows[0].n, 2, 'the row survived the ROLLBACK');
  });

  it('keeps temp tables and SET search_path from one statement to the next, sending SessionId alone', async () => {
    await s.sql('create schema if not exists sess_sp');
    await s.sql('create table if not exists sess_sp.only_here (x int)');
    await s.sql('truncate sess_sp.only_here');
    await s.sql('insert into sess_sp.only_here values (42)');
    const e = engine();
    const created = await run(e, 'create temp table sess_tmp as select 7 as v');
    const sid = e.sessionId;
    assert.ok(sid, 'the first statement opened a session');
    assert.equal(sessionOf(created.id), sid);
    const read = await run(e, 'select v from sess_tmp');
    assert.deepEqual((await e.fetchPage(read.id)).rows, [[7]]);
    await run(e, 'set search_path to sess_sp, public');
    const unqualified = await run(e, 'select x from only_here');
    assert.deepEqual((await e.fetchPage(unqualified.id)).rows, [[42]]);
    assert.equal(sessionOf(unqualified.id), sid);
    // The stand-in refuses ClusterIdentifier / Database / DbUser / SecretArn beside SessionId: these went through.
  });

  it('runs a batch (Run File) in the session too', async () => {
    const e = engine();
    await run(e, 'create temp table sess_batch (n int)');
    const batch = await run(e, ['insert into sess_batch values (1), (2)', 'select count(*)::int as n from sess_batch']);
    assert.equal(sessionOf(batch.id), e.sessionId);
    assert.deepEqual((await e.fetchPage(batch.subStatements![1].id)).rows, [[2]]);
  });

  it('replaces an expired session transparently (the statement is sent once more and opens a new one)', async () => {
    const e = engine();
    await run(e, 'select 1');
    const first = e.sessionId;
    assert.ok(first);
    await s.emulator.expireSessions();
    const calls = s.emulator.faults.callCount('ExecuteStatement');
    const created = await run(e, 'create temp table after_expiry as select 3 as v');
    assert.equal(s.emulator.faults.callCount('ExecuteStatement') - calls, 2, 'refused with the old session, then sent again');
    assert.ok(e.sessionId && e.sessionId !== first, 'a new session');
    assert.equal(sessionOf(created.id), e.sessionId);
    const read = await run(e, 'select v from after_expiry');
    assert.deepEqual((await e.fetchPage(read.id)).rows, [[3]]);

    await s.emulator.expireSessions();
    const batch = await run(e, ['create temp table batch_after_expiry (n int)', 'select 1']);
    assert.equal(sessionOf(batch.id), e.sessionId, 'a batch replaces it the same way');
  });

  it('runs a statement started while the session is busy on a connection of its own; both succeed', async () => {
    const e = engine();
    await run(e, 'create temp table sess_conc as select 1 as v');
    const sid = e.sessionId;
    const [slow, quick] = await Promise.all([e.execute('select 1 as a from pg_sleep(0.4)'), e.execute('select 2 as b')]);
    assert.equal(slow.status, 'FINISHED', slow.error);
    assert.equal(quick.status, 'FINISHED', quick.error);
    assert.equal(sessionOf(slow.id), sid, 'the first took the session');
    assert.equal(sessionOf(quick.id), undefined, 'the second ran without it');
    assert.deepEqual((await e.fetchPage(quick.id)).rows, [[2]]);
    const after = await run(e, 'select v from sess_conc');
    assert.equal(sessionOf(after.id), sid, 'the session is free again afterwards');
  });

  it('runs two statements started together, before any session exists: one opens it, the other runs alone', async () => {
    const e = engine();
    const [a, b] = await Promise.all([e.execute('select 1 from pg_sleep(0.2)'), e.execute('select 2')]);
    assert.equal(a.status, 'FINISHED', a.error);
    assert.equal(b.status, 'FINISHED', b.error);
    assert.ok(e.sessionId);
    assert.equal(sessionOf(a.id), e.sessionId);
    assert.equal(sessionOf(b.id), undefined);
  });

  it('keeps the session when the service says it is still busy, running that statement on its own connection', async () => {
    const e = engine();
    await run(e, 'create temp table sess_busy as select 1 as v');
    const sid = e.sessionId!;
    s.emulator.faults.add({ operation: 'ExecuteStatement', error: 'ValidationException', message: `Session ${sid} is busy running another statement.` });
    const out = await run(e, 'select 5 as five');
    assert.equal(sessionOf(out.id), undefined);
    assert.equal(e.sessionId, sid);
    const again = await run(e, 'select v from sess_busy');
    assert.equal(sessionOf(again.id), sid);
  });

  it('runs the statement without a session when the service refuses to open more', async () => {
    const e = engine();
    s.emulator.faults.add({ operation: 'ExecuteStatement', error: 'ActiveSessionsExceededException', message: 'Too many sessions' });
    const out = await run(e, 'select 1');
    assert.equal(sessionOf(out.id), undefined);
    assert.equal(e.sessionId, undefined);
    const next = await run(e, 'select 2');
    assert.ok(e.sessionId && sessionOf(next.id) === e.sessionId, 'the next statement opens one');
  });

  it('drops the session with the engine (switched or changed connection): the next engine opens its own', async () => {
    const a = engine();
    await run(a, 'create temp table only_in_a as select 1 as v');
    const sa = a.sessionId;
    await a.dispose();
    assert.equal(a.sessionId, undefined);
    const late = await run(a, 'select 1');
    assert.equal(sessionOf(late.id), undefined, 'a disposed engine joins no session');
    const b = engine();
    const missing = await b.execute('select v from only_in_a');
    assert.equal(missing.status, 'FAILED');
    assert.match(missing.error ?? '', /only_in_a/);
    assert.ok(b.sessionId && b.sessionId !== sa);
  });

  it('sessionKeepAliveSeconds 0 turns sessions off; a profile refuses values outside 0..86400', async () => {
    await s.sql('create table if not exists sess_off (id int)');
    await s.sql('truncate sess_off');
    await s.sql('insert into sess_off values (1), (2)');
    const e = engine({ connection: { sessionKeepAliveSeconds: 0 } });
    for (const sql of ['begin', 'delete from sess_off where id = 1', 'rollback']) {
      const out = await run(e, sql);
      assert.equal(sessionOf(out.id), undefined);
    }
    assert.equal((await s.sql('select count(*)::int as n from sess_off')).rows[0].n, 1, 'each statement committed on its own');
    const base = { name: 'c', region: 'us-east-1', clusterIdentifier: 'x', database: 'dev' };
    assert.deepEqual(connectionProfileProblems({ ...base, sessionKeepAliveSeconds: 900 }), []);
    for (const bad of [-1, 86401, 1.5, '900']) {
      assert.match(connectionProfileProblems({ ...base, sessionKeepAliveSeconds: bad }).join(), /sessionKeepAliveSeconds/);
    }
  });

  it('stand-in: refuses the connection target beside SessionId', async () => {
    const client = s.rawClient();
    const first = await client.send(
      new ExecuteStatementCommand({ Sql: 'select 1', Database: s.pg.database, ClusterIdentifier: 'c1', SessionKeepAliveSeconds: 60 }),
    );
    await waitForStatement(client, first.Id!);
    await assert.rejects(
      client.send(new ExecuteStatementCommand({ Sql: 'select 2', SessionId: first.SessionId, Database: s.pg.database })),
      (err: Error) => err.name === 'ValidationException' && /SessionId cannot be specified together with Database/.test(err.message),
    );
  });
});

describe('DataApiSession routing', () => {
  it('opens, joins while idle, goes fresh while busy, frees on the end of its own statement only', () => {
    const session = new DataApiSession(900);
    const open = session.route();
    assert.equal(open.kind, 'open');
    assert.equal(session.route().kind, 'fresh', 'a second statement while the first is opening the session');
    session.submitted(open, 'st-1', 'sess-1');
    assert.equal(session.busyWith, 'st-1');
    session.statementEnded('st-other', 'FINISHED');
    assert.equal(session.route().kind, 'fresh');
    session.statementEnded('st-1', 'STARTED');
    assert.equal(session.route().kind, 'fresh', 'not ended yet');
    session.statementEnded('st-1', 'FAILED');
    assert.deepEqual(session.route(), { kind: 'join', sessionId: 'sess-1', generation: 0 });
  });

  it('drops a session the service no longer knows, keeps it on other errors, ignores answers after a drop', () => {
    const session = new DataApiSession(60);
    const open = session.route();
    session.submitted(open, 'st-1', 'sess-1');
    session.statementEnded('st-1', 'FINISHED');
    const join = session.route();
    const tooLong = Object.assign(new Error('Cannot process query string larger than 100kB'), { name: 'ValidationException' });
    assert.equal(session.submitFailed(join, tooLong), 'throw');
    assert.equal(session.sessionId, 'sess-1');
    const join2 = session.route();
    const gone = Object.assign(new Error('Session sess-1 does not exist or has expired.'), { name: 'ResourceNotFoundException' });
    assert.equal(session.submitFailed(join2, gone), 'resend');
    assert.equal(session.sessionId, undefined);
    session.submitted(join2, 'st-late', 'sess-1');
    assert.equal(session.sessionId, undefined, 'a late answer does not bring the dropped session back');
    assert.equal(new DataApiSession(0).route().kind, 'fresh', '0: sessions off');
  });
});
