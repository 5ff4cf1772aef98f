import { encodePath, encodeQuery, encodeTarget } from '../paths.ts';
import type { RedirectWriter } from './writer.ts';

/** `[{"from": "/old/path.html", "to": "/new/path/", "status": 301}]`, URLs as a browser sends them. */
const json: RedirectWriter = {
  name: 'json',
  summary: 'JSON list of {from, to, status} for scripts and other tools',
  writesFolder: false,
  write(redirects) {
    const list = redirects.map((redirect) => ({
      from: encodePath(redirect.from) + (redirect.query === undefined ? '' : `?${encodeQuery(redirect.query)}`),
      to: encodeTarget(redirect.to),
      status: 301,
    }));
    return {
      files: [{ path: 'redirects.json', content: `${JSON.stringify(list, null, 1)}\n` }],
      warnings: [],
      notes: [],
    };
  },
};

export default json;
