import { encodePath, encodeQuery, encodeTarget } from '../paths.ts';
import type { RedirectWriter } from './writer.ts';

/**
 * `from,to,status` (RFC 4180), URLs as a browser sends them: for spreadsheets and bulk importers
 * (Cloudflare Bulk Redirects). Encoded URLs hold no comma, quote or line break, and start with `/`,
 * so no cell can be read as a formula.
 */
const csv: RedirectWriter = {
  name: 'csv',
  summary: 'CSV (from,to,status) for spreadsheets and bulk redirect imports',
  writesFolder: false,
  write(redirects) {
    const rows = redirects.map((redirect) =>
      [
        encodePath(redirect.from) + (redirect.query === undefined ? '' : `?${encodeQuery(redirect.query)}`),
        encodeTarget(redirect.to),
        '301',
      ]
        .map(cell)
        .join(','),
    );
    return {
      files: [{ path: 'redirects.csv', content: `from,to,status\r\n${rows.map((row) => `${row}\r\n`).join('')}` }],
      warnings: [],
      notes: [],
    };
  },
};

export default csv;

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
