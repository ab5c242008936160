import assert from 'node:assert/strict';
import { parseCsv, readCsvHeader } from '../../../src/adapters/embedded/csv';
import { inferColumnTypes } from '../../../src/adapters/embedded/csvTypeInference';

describe('embedded CSV reading', () => {
  it('reads quotes, doubled quotes, CRLF, multi-line fields; empty unquoted = NULL, "" = empty string', () => {
    const rows = parseCsv('a,b,c\r\n"x, y","say ""hi""",\r\n"",2,"line1\nline2"\n');
    assert.deepEqual(rows, [['a', 'b', 'c'], ['x, y', 'say "hi"', null], ['', '2', 'line1\nline2']]);
  });

  it('reads a header without the BOM', () => {
    assert.deepEqual(readCsvHeader('\ufeff"Id", name \nrest'), ['Id', 'name']);
  });

  it('infers integer, bigint, numeric, boolean, date, timestamp and text', () => {
    const rows = parseCsv('1,3000000000,1.5,true,2024-01-01,2024-01-01 10:00:00,007\n2,,2,false,,2024-01-02T11:00,x\n');
    assert.deepEqual(inferColumnTypes(rows, 7), ['integer', 'bigint', 'numeric', 'boolean', 'date', 'timestamp', 'text']);
    assert.deepEqual(inferColumnTypes(parseCsv('12345678901234567890\n'), 1), ['numeric']);
  });
});
