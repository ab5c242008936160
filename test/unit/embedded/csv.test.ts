import assert from 'node:assert/strict';
import { parseCsv, readCsvHeader, writeCsv } from '../../../src/adapters/embedded/csv';

describe('embedded CSV reading', () => {
  it('reads quotes, doubled quotes, CRLF, multi-line fields; empty unquoted = NULL, "" = empty string', () => {
    const rows = parseCsv('a,b,c\r\n"x, y","say ""hi""",\r\n"",2,"line1\nline2"\n');
    assert.deepEqual(rows, [['a', 'b', 'c'], ['x, y', 'say "hi"', null], ['', '2', 'line1\nline2']]);
  });

  it('reads a header without the BOM', () => {
    assert.deepEqual(readCsvHeader('\ufeff"Id", name \nrest'), ['Id', 'name']);
  });

  it('writes records that read back the same: NULL, empty string, quotes, delimiters, newlines', () => {
    const records = [['a', 'b', 'c'], ['x, y', 'say "hi"', null], ['', '2', 'line1\r\nline2']];
    assert.deepEqual(parseCsv(writeCsv(records)), records);
  });
});
