import type ExcelJS from 'exceljs';

// Reading Excel sheets: nothing but ExcelJS, so that worker threads (the customer import) can
// load it without the HTTP layer. ExcelJS is loaded on first use: it is large, and a server that
// never reads a sheet should not carry it.

/** ExcelJS, loaded once when first needed. */
export async function excel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

/** A cell as text: dates as YYYY-MM-DD, rich text and hyperlinks as their text, formulas as results. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return cellText(v.text);
    if (v.result !== undefined) return cellText(v.result);
    if (v.error) return '';
    return '';
  }
  return String(value).trim();
}

/** The rows of a workbook as text, read as a stream: the first sheet, or every sheet. Blank rows
 * are yielded as [] so that row numbers stay as people see them in Excel. */
export async function* xlsxRows(path: string, sheets: 'first' | 'all' = 'first'): AsyncGenerator<string[]> {
  const Excel = await excel();
  const reader = new Excel.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
  });
  for await (const sheet of reader) {
    let expected = 1;
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      // Blank rows are not emitted; keep row numbers as people see them in Excel.
      while (expected < row.number) {
        yield [];
        expected++;
      }
      const values = (row.values as unknown[]).slice(1);
      yield values.map(cellText);
      expected++;
    }
    if (sheets === 'first') return;
  }
}
