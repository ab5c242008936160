// Runs inside the bench page: a stand-in for the extension host behind acquireVsCodeApi().
// Loaded as a nonce'd classic script before the webview bundle, exactly like the real page loads only the bundle.
(() => {
  const cfg = window.__benchConfig;
  const sent = [];
  let state = undefined;
  const deliver = (data) => setTimeout(() => window.dispatchEvent(new MessageEvent('message', { data: structuredClone(data) })), 0);
  window.__sent = sent;
  window.__deliver = deliver;

  const columns = [
    { name: 'id', typeName: 'int8', kind: 'integer' },
    { name: 'customer', typeName: 'varchar', kind: 'text' },
    { name: 'amount', typeName: 'numeric', kind: 'decimal' },
    { name: 'ratio', typeName: 'float8', kind: 'float' },
    { name: 'ordered_at', typeName: 'timestamp', kind: 'timestamp' },
    { name: 'big_id', typeName: 'int8', kind: 'integer' },
    { name: 'active', typeName: 'bool', kind: 'boolean' },
    { name: 'note', typeName: 'varchar', kind: 'text' },
    { name: 'region', typeName: 'varchar', kind: 'text' },
    { name: 'qty', typeName: 'int4', kind: 'integer' },
  ];
  const regions = ['emea', 'amer', 'apac'];
  function row(i) {
    return [
      i + 1,
      i === 0 ? '<img src=x onerror=alert(1)>' : `customer ${i % 9973}`,
      `${(i * 37) % 100000}.${String(i % 100).padStart(2, '0')}`,
      (i % 1000) / 7,
      `2024-01-${String(1 + (i % 28)).padStart(2, '0')} 12:${String(i % 60).padStart(2, '0')}:00`,
      `9007199254740${String(993 + (i % 1000)).padStart(4, '0')}`,
      i % 2 === 0,
      i % 7 === 0 ? null : i % 11 === 0 ? '' : 'ok',
      regions[i % 3],
      i % 50,
    ];
  }

  function onResults(msg) {
    const rows = cfg.rows;
    if (msg.type === 'ready') {
      deliver({ type: 'init', active: 0, meta: { engineLabel: 'Embedded (local)', isLocal: true, durationMs: 1234, bytesScanned: 123456789 },
        sets: [{ label: 'Result 1', columns, rowCount: rows, loadedCount: rows, complete: true, viewVersion: 0, view: { sort: [], filter: '' } }] });
    } else if (msg.type === 'getChartData') {
      const step = Math.max(1, rows / msg.maxPoints);
      const out = [];
      for (let k = 0; k < Math.min(rows, msg.maxPoints); k++) { const r = row(Math.floor(k * step)); out.push(msg.columns.map((c) => r[c])); }
      deliver({ type: 'chartData', set: msg.set, requestId: msg.requestId, columns: msg.columns, rows: out, sampled: step > 1, total: rows });
    } else if (msg.type === 'getRows') {
      const out = [];
      for (let i = msg.offset; i < Math.min(rows, msg.offset + msg.limit); i++) out.push(row(i));
      deliver({ type: 'rows', set: msg.set, requestId: msg.requestId, viewVersion: msg.viewVersion, offset: msg.offset, rows: out });
    }
  }

  function onErd(msg) {
    if (msg.type === 'ready') deliver({ type: 'init', input: window.__erdInput, focusThreshold: 80 });
  }

  window.acquireVsCodeApi = () => ({
    postMessage(msg) {
      sent.push(msg);
      // The real host runs in another process: answer asynchronously, as a structured clone.
      const copy = structuredClone(msg);
      setTimeout(() => (cfg.kind === 'results' ? onResults(copy) : onErd(copy)), 0);
    },
    getState() { return state; },
    setState(s) { state = s; },
  });
})();
