import { strict as assert } from 'node:assert';
import { isResultsHostMessage, isResultsWebviewMessage, MAX_ROWS_PER_REQUEST } from '../../../src/shared/protocol/results';
import { isErdHostMessage, isErdWebviewMessage } from '../../../src/shared/protocol/erd';

describe('results protocol validators', () => {
  it('accepts well-formed webview messages', () => {
    assert.ok(isResultsWebviewMessage({ type: 'ready' }));
    assert.ok(isResultsWebviewMessage({ type: 'getRows', set: 0, requestId: 3, viewVersion: 0, offset: 200, limit: 200 }));
    assert.ok(isResultsWebviewMessage({ type: 'setView', set: 1, view: { sort: [{ column: 2, direction: 'desc' }], filter: 'abc' } }));
    assert.ok(isResultsWebviewMessage({ type: 'export', set: 0, format: 'jsonl' }));
    assert.ok(isResultsWebviewMessage({ type: 'copy', text: 'a\tb' }));
    assert.ok(isResultsWebviewMessage({ type: 'getChartData', set: 0, requestId: 1, columns: [0, 2], maxPoints: 2000 }));
    assert.ok(isResultsWebviewMessage({ type: 'viewport', set: 0, first: 10, count: 30 }));
  });

  it('rejects unknown, malformed or oversized webview messages', () => {
    for (const bad of [
      null, 'ready', [], { type: 'nope' },
      { type: 'getRows', set: 0, requestId: 1, viewVersion: 0, offset: -1, limit: 10 },
      { type: 'getRows', set: 0, requestId: 1, viewVersion: 0, offset: 0, limit: MAX_ROWS_PER_REQUEST + 1 },
      { type: 'getRows', set: 0, requestId: 1, viewVersion: 0, offset: 0, limit: 0 },
      { type: 'getRows', set: '0', requestId: 1, viewVersion: 0, offset: 0, limit: 10 },
      { type: 'getRows', set: 0, requestId: 1, viewVersion: 0, offset: 1.5, limit: 10 },
      { type: 'setView', set: 0, view: { sort: [{ column: 0, direction: 'up' }], filter: '' } },
      { type: 'setView', set: 0, view: { sort: [] } },
      { type: 'export', set: 0, format: 'xlsx' },
      { type: 'copy', text: 42 },
      { type: 'getChartData', set: 0, requestId: 1, columns: [], maxPoints: 10 },
      { type: 'getChartData', set: 0, requestId: 1, columns: [0], maxPoints: 1e9 },
    ]) assert.equal(isResultsWebviewMessage(bad), false, JSON.stringify(bad));
  });

  it('checks host messages seen by the webview', () => {
    assert.ok(isResultsHostMessage({ type: 'rows', set: 0, requestId: 1, viewVersion: 0, offset: 0, rows: [[1, null, 'x', true]] }));
    assert.ok(isResultsHostMessage({ type: 'progress', set: 0, rowCount: 10, loadedCount: 10, complete: false }));
    assert.equal(isResultsHostMessage({ type: 'rows', set: 0, requestId: 1, viewVersion: 0, offset: 0, rows: [1] }), false);
    assert.equal(isResultsHostMessage({ type: 'notice', level: 'warn', message: 'x' }), false);
  });
});

describe('ERD protocol validators', () => {
  it('accepts openTable and exports, rejects bad PNG payloads and unknown formats', () => {
    assert.ok(isErdWebviewMessage({ type: 'openTable', table: 'sales.orders' }));
    assert.ok(isErdWebviewMessage({ type: 'export', format: 'png', content: 'iVBORw0KGgo=' }));
    assert.ok(isErdWebviewMessage({ type: 'export', format: 'markdown', content: '```mermaid\nerDiagram\n```' }));
    assert.equal(isErdWebviewMessage({ type: 'openTable', table: '' }), false);
    assert.equal(isErdWebviewMessage({ type: 'export', format: 'png', content: 'not base64!' }), false);
    assert.equal(isErdWebviewMessage({ type: 'export', format: 'pdf', content: '' }), false);
    assert.equal(isErdWebviewMessage({ type: 'rendered', mode: 'some', tables: 1, ms: 1 }), false);
  });

  it('checks the init message', () => {
    const input = { title: 't', mermaid: 'erDiagram', tables: [{ id: 'a.b', name: 'b' }], relationships: [{ from: 'a.b', to: 'a.b' }] };
    assert.ok(isErdHostMessage({ type: 'init', input, focusThreshold: 80 }));
    assert.equal(isErdHostMessage({ type: 'init', input: { ...input, tables: [{ name: 'b' }] }, focusThreshold: 80 }), false);
  });
});
