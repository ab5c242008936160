import { strict as assert } from 'node:assert';
import { outcomeLine } from '../../../src/core/queryLog';

describe('outcomeLine (the Quarry log line of a query)', () => {
  it('says why a query failed, and how each statement of a batch went', () => {
    assert.equal(
      outcomeLine({ id: 'q1', status: 'FAILED', error: 'column "nope" does not exist', hasResultSet: false, durationMs: 12 }, 'Embedded'),
      'Query q1 FAILED on Embedded in 12 ms: column "nope" does not exist',
    );
    const batch = outcomeLine({
      id: 'q2', status: 'FAILED', hasResultSet: false, durationMs: 30, error: 'statement 3 failed',
      subStatements: [
        { id: 'a', status: 'FINISHED', resultRows: 1, hasResultSet: true, durationMs: 1 },
        { id: 'b', status: 'FINISHED', resultRows: 4, hasResultSet: true, durationMs: 1 },
        { id: 'c', status: 'FAILED', error: 'relation "x" does not exist', hasResultSet: false, durationMs: 1 },
      ],
    }, 'Embedded');
    assert.equal(batch, 'Query q2 FAILED on Embedded in 30 ms (statement 1 FINISHED, 1 row; statement 2 FINISHED, 4 rows; statement 3 FAILED: relation "x" does not exist)');
    assert.equal(outcomeLine({ id: 'q3', status: 'FINISHED', resultRows: 5, hasResultSet: true, durationMs: 3 }, 'analytics'), 'Query q3 FINISHED on analytics in 3 ms, 5 rows');
  });
});
