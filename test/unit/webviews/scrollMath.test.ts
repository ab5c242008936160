import { strict as assert } from 'node:assert';
import { revealRowTop, scrollGeometry, scrollTopFor, virtualTop, visibleRange } from '../../../webview-ui/results/scrollMath';

describe('scroll-space scaling', () => {
  it('does not scale when the content fits', () => {
    const g = scrollGeometry(1000, 22, 400, 1_000_000);
    assert.equal(g.ratio, 1);
    assert.equal(g.spacerHeight, 22_000);
    assert.equal(virtualTop(500, g), 500);
  });

  it('caps the spacer and maps the ends of the scroll range onto the ends of the virtual range', () => {
    const rows = 10_000_000;
    const g = scrollGeometry(rows, 22, 800, 16_000_000);
    assert.equal(g.spacerHeight, 16_000_000);
    assert.ok(g.ratio > 1);
    assert.equal(virtualTop(0, g), 0);
    const maxScroll = g.spacerHeight - g.viewportHeight;
    const bottom = virtualTop(maxScroll, g);
    assert.ok(Math.abs(bottom - (rows * 22 - 800)) < 1e-3);
    const r = visibleRange(bottom, 800, 22, rows);
    assert.equal(r.last, rows);
    assert.ok(Math.abs(scrollTopFor(bottom, g) - maxScroll) < 1e-3);
  });

  it('never maps a scroll position past the last row', () => {
    const g = scrollGeometry(2_000_000, 22, 600, 16_000_000);
    assert.equal(virtualTop(1e12, g), 2_000_000 * 22 - 600);
  });

  it('computes visible rows with overscan and clamps them', () => {
    assert.deepEqual(visibleRange(0, 220, 22, 100, 5), { first: 0, last: 15 });
    assert.deepEqual(visibleRange(220, 220, 22, 100, 5), { first: 5, last: 25 });
    assert.deepEqual(visibleRange(2178, 220, 22, 100, 5), { first: 94, last: 100 });
    assert.deepEqual(visibleRange(0, 220, 22, 0, 5), { first: 0, last: 0 });
  });

  it('reveals a row with the least movement', () => {
    assert.equal(revealRowTop(5, 0, 220, 22), 0);
    assert.equal(revealRowTop(10, 0, 220, 22), 22);
    assert.equal(revealRowTop(2, 100, 220, 22), 44);
  });
});
