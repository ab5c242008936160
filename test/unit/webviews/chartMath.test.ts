import { strict as assert } from 'node:assert';
import type { ResultColumn } from '../../../src/core/ports';
import { axisKind, formatTick, numericValue } from '../../../webview-ui/results/chartMath';

const column = (typeName: string, kind: ResultColumn['kind']): ResultColumn => ({ name: 'x', typeName, kind });

describe('chart values', () => {
  it('plots TIMESTAMPTZ as Redshift writes it (a +00 or +0530 zone Date.parse does not read)', () => {
    const kind = axisKind(column('timestamptz', 'timestamp'));
    assert.equal(kind, 'time');
    assert.equal(numericValue('2024-03-01 10:00:00+00', kind), Date.UTC(2024, 2, 1, 10));
    assert.equal(numericValue('2024-03-01 10:00:00.5+05:30', kind), Date.UTC(2024, 2, 1, 4, 30, 0, 500));
    assert.equal(numericValue('2024-03-01 10:00:00+0530', kind), Date.UTC(2024, 2, 1, 4, 30));
    assert.equal(numericValue('2024-03-01', axisKind(column('date', 'date'))), Date.UTC(2024, 2, 1));
    assert.equal(numericValue('not a time', kind), undefined);
  });

  it('plots TIME and TIMETZ as times of day, with HH:MM ticks', () => {
    const kind = axisKind(column('time', 'timestamp'));
    assert.equal(kind, 'clock');
    assert.equal(axisKind(column('timetz', 'timestamp')), 'clock');
    assert.equal(numericValue('12:34:56', kind), (12 * 3600 + 34 * 60 + 56) * 1000);
    assert.equal(numericValue('00:00:01.25+00', kind), 1250);
    assert.equal(formatTick((9 * 60 + 5) * 60 * 1000, kind), '09:05');
  });
});
