import http from 'node:http';
import https from 'node:https';
import { parseArgs } from 'node:util';
import { CheckFailed, UsageError } from '../../errors.ts';
import type { Redirect } from '../../redirects/map.ts';
import { redirectMap } from '../../redirects/output.ts';
import { decodePath, encodePath, encodeQuery, encodeTarget } from '../../redirects/paths.ts';
import type { Command } from '../main.ts';

const usage = `
Usage: almanac verify-redirects --base URL [options]

Asks a running server for every old URL of the redirect map (the one almanac redirects writes) and
reports each that does not answer 301 with a Location of its new page on the same host: use it after
deploying the config, against the real server.

Options:
  --base URL          the server to ask, e.g. https://example.org or http://127.0.0.1:8080 (required)
  --content DIR       the content folder (default: content)
  --source ID         only this source's old URLs (as with almanac redirects --source)
  --concurrency N     requests at a time (default: 8)
  --timeout MS        per request (default: 10000)

Exit status: 0 every old URL redirects right, 1 some do not (each listed), 2 usage.

Example:
  almanac verify-redirects --base https://blog.example.org
`;

interface Answer {
  status: number;
  location?: string;
}

const command: Command = {
  summary: 'ask a running server for every old URL and report the ones that do not 301 to their page',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        base: { type: 'string' },
        content: { type: 'string', default: 'content' },
        source: { type: 'string' },
        concurrency: { type: 'string', default: '8' },
        timeout: { type: 'string', default: '10000' },
      },
    });
    if (!values.base) throw new UsageError('--base URL is required: the address of the server to check');
    let base: URL;
    try {
      base = new URL(values.base);
    } catch {
      throw new UsageError(`--base ${values.base} is not a URL; write it like https://example.org`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      throw new UsageError('--base must be an http: or https: URL');
    const concurrency = Number(values.concurrency);
    const timeout = Number(values.timeout);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
      throw new UsageError('--concurrency must be a whole number from 1 to 256');
    if (!Number.isFinite(timeout) || timeout <= 0)
      throw new UsageError('--timeout must be a positive number of milliseconds');

    const map = await redirectMap(values.content!, { source: values.source });
    if (map.errors.length > 0)
      throw new CheckFailed(
        `the redirect map of ${values.content} has ${map.errors.length} problem(s); run almanac redirects to see them`,
      );
    await reachable(base, timeout);
    const problems = await verify(base, map.redirects, { concurrency, timeout });
    for (const problem of problems) process.stdout.write(`${problem}\n`);
    const summary = `${map.redirects.length} old URLs asked of ${base.origin}: ${map.redirects.length - problems.length} right, ${problems.length} wrong`;
    if (problems.length > 0) throw new CheckFailed(summary);
    process.stdout.write(`verify-redirects: ${summary}\n`);
    return 0;
  },
};

export default command;

/** One request to the base first: a server that is down is one line, not one per old URL. */
async function reachable(base: URL, timeout: number): Promise<void> {
  const client = base.protocol === 'https:' ? https : http;
  try {
    await ask(client, new client.Agent(), base, '/', timeout);
  } catch (error) {
    throw new CheckFailed(
      `cannot reach ${base.origin}: ${(error as Error).message}; is the server running, and is --base its address?`,
    );
  }
}

/** One line per old URL that does not answer 301 with its target on the same host. */
export async function verify(
  base: URL,
  redirects: readonly Redirect[],
  options: { concurrency: number; timeout: number },
): Promise<string[]> {
  const client = base.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const problems: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < redirects.length) {
      const redirect = redirects[next++];
      const oldUrl =
        encodePath(redirect.from) + (redirect.query === undefined ? '' : `?${encodeQuery(redirect.query)}`);
      const problem = await ask(client, agent, base, oldUrl, options.timeout).then(
        (answer) => judge(base, oldUrl, redirect.to, answer),
        (error: Error) => `${oldUrl}: no answer (${error.message})`,
      );
      if (problem) problems.push(problem);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, redirects.length) }, worker));
  agent.destroy();
  return problems.sort();
}

function judge(base: URL, oldUrl: string, target: string, answer: Answer): string | undefined {
  const expected = encodeTarget(target);
  if (answer.status !== 301)
    return `${oldUrl}: expected 301 → ${expected}, got ${answer.status}${answer.location ? ` → ${answer.location}` : ''}`;
  if (!answer.location) return `${oldUrl}: 301 without a Location header`;
  let location: URL;
  try {
    location = new URL(answer.location, new URL(oldUrl, base));
  } catch {
    return `${oldUrl}: Location ${JSON.stringify(answer.location)} is not a URL`;
  }
  if (location.host !== base.host) return `${oldUrl}: redirects to another host: ${answer.location}`;
  if (decodePath(location.pathname) !== target)
    return `${oldUrl}: redirects to ${location.pathname}, expected ${expected}`;
  return undefined;
}

function ask(
  client: typeof http | typeof https,
  agent: http.Agent,
  base: URL,
  oldUrl: string,
  timeout: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = client.request(
      new URL(oldUrl, base),
      { method: 'GET', agent, timeout, headers: { 'user-agent': 'almanac verify-redirects' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, location: response.headers.location }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`timed out after ${timeout} ms`)));
    request.on('error', reject);
    request.end();
  });
}
