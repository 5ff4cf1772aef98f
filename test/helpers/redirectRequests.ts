import http from 'node:http';
import type { Redirect } from '../../src/redirects/map.ts';
import { decodePath, encodePath, encodeQuery } from '../../src/redirects/paths.ts';

export interface Answer {
  status: number;
  location?: string;
}

/** GET with the request target sent byte for byte as given (no client-side normalization). */
export function rawGet(base: string, target: string): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path: target, method: 'GET', agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, location: response.headers.location }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** The old URL as a browser sends it. */
export function oldUrlOf(redirect: Redirect): string {
  return encodePath(redirect.from) + (redirect.query === undefined ? '' : `?${encodeQuery(redirect.query)}`);
}

/** Every byte but `/` and ASCII letters and digits as `%XX`: another spelling of the same path. */
export function fullyEncoded(path: string): string {
  let result = '';
  for (const byte of new TextEncoder().encode(path)) {
    const char = String.fromCharCode(byte);
    result += /[A-Za-z0-9/]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return result;
}

/** The Location's path, decoded, when it is on the same host as base; else a description of what it is. */
export function locationPath(base: string, location: string | undefined): string {
  if (!location) return '(no Location)';
  const url = new URL(location, base);
  if (url.host !== new URL(base).host) return `(another host: ${location})`;
  if (url.search) return `(with a query: ${location})`;
  return decodePath(url.pathname) ?? `(not UTF-8: ${location})`;
}
