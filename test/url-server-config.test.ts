import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { serverConfigUrl } from '../src/url/escapeUrl.ts';
import { normalizeUrl } from '../src/url/normalizeUrl.ts';
import { temporaryDirectory } from './helpers/cli.ts';

const NGINX = '/usr/sbin/nginx';
const targets = [
  'https://example.com/a b/$host;{x}',
  'https://example.com/q?a=1&b="2"&c=\'3\'#frag',
  'https://example.com/Straße/100%',
  'https://example.com/x#{not}#a-variable',
];

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function location(port: number, pathname: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname }, (response) => {
        response.resume();
        resolve(response.headers.location);
      })
      .on('error', reject);
  });
}

test('serverConfigUrl: written unquoted into a real nginx config, each redirect answers with exactly that URL', {
  skip: existsSync(NGINX) ? false : 'nginx is not installed (scripts/test.sh installs it)',
}, async () => {
  const prefix = await temporaryDirectory();
  await mkdir(path.join(prefix, 'logs'));
  const port = await freePort();
  const written = targets.map((target) => serverConfigUrl(normalizeUrl(target)!));
  const locations = written.map((url, index) => `    location = /old/${index} { return 301 ${url}; }`).join('\n');
  await writeFile(
    path.join(prefix, 'nginx.conf'),
    `daemon off;\nmaster_process off;\nerror_log ${prefix}/logs/error.log;\npid ${prefix}/nginx.pid;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${prefix};\n  server {\n    listen 127.0.0.1:${port};\n${locations}\n  }\n}\n`,
  );
  const check = spawnSync(NGINX, ['-t', '-p', prefix, '-c', path.join(prefix, 'nginx.conf')], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  const nginx = spawn(NGINX, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf')], { stdio: 'ignore' });
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      if (
        await location(port, '/old/0').then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const [index, url] of written.entries()) assert.equal(await location(port, `/old/${index}`), url);
  } finally {
    nginx.kill();
  }
});
