/**
 * Debian's nginx and apache2, started for a test or benchmark on 127.0.0.1 and a free port, in the
 * foreground (not as daemons), with their own config, pid, logs and temp files in a temporary folder.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const NGINX = '/usr/sbin/nginx';
export const APACHE = '/usr/sbin/apache2';
export const APACHE_MODULES = '/usr/lib/apache2/modules';
export const CADDY = '/usr/bin/caddy';

/** `false` to run, or the reason to skip, for `test(name, { skip: serverMissing('nginx') }, …)`. */
export function serverMissing(server: 'nginx' | 'apache2' | 'caddy'): false | string {
  const binary = { nginx: NGINX, apache2: APACHE, caddy: CADDY }[server];
  return existsSync(binary)
    ? false
    : `${binary} is not installed (apt-get install ${server}${server === 'caddy' ? '' : '; npm test installs it: scripts/ensure-system-packages.sh'})`;
}

export interface RunningServer {
  base: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
  errorLog(): Promise<string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface NginxSite {
  /** Included inside http { } (maps). */
  httpInclude?: string;
  /** Included inside server { } (the redirect rule). */
  serverInclude?: string;
  /** Document root. */
  root: string;
  workers?: number;
}

function nginxConfig(dir: string, port: number, site: NginxSite): string {
  // As root, workers would run as nobody and not read a 0700 temporary folder.
  return `daemon off;
${process.getuid?.() === 0 ? 'user root;' : ''}
master_process on;
worker_processes ${site.workers ?? 1};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    types { text/html html; application/xml xml; }
    ${site.httpInclude ? `include ${site.httpInclude};` : ''}
    server {
        listen 127.0.0.1:${port};
        root ${site.root};
        ${site.serverInclude ? `include ${site.serverInclude};` : ''}
    }
}
`;
}

/** `nginx -t` on a config that includes the given files: resolves with nginx's output, rejects when it fails. */
export async function nginxTest(site: NginxSite): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'almanac-nginx-t-'));
  try {
    await writeFile(path.join(dir, 'nginx.conf'), nginxConfig(dir, 1, site));
    const { stderr } = await promisify(execFile)(
      NGINX,
      ['-t', '-q', '-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')],
      { maxBuffer: 1 << 24 },
    );
    return stderr;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function startNginx(site: NginxSite): Promise<RunningServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'almanac-nginx-'));
  const port = await freePort();
  await writeFile(path.join(dir, 'nginx.conf'), nginxConfig(dir, port, site));
  const child = spawn(NGINX, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return running(child, dir, port, path.join(dir, 'error.log'));
}

export interface ApacheSite {
  /** Included inside <VirtualHost>. */
  vhostInclude?: string;
  root: string;
  /** Allow .htaccess files (AllowOverride FileInfo) in the root. */
  htaccess?: boolean;
  threads?: number;
}

function apacheConfig(dir: string, port: number, site: ApacheSite): string {
  const modules = ['mpm_event', 'authz_core', 'rewrite', 'mime', 'dir', 'alias'];
  return `ServerRoot ${dir}
${modules.map((name) => `LoadModule ${name}_module ${APACHE_MODULES}/mod_${name}.so`).join('\n')}
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
PidFile ${dir}/apache2.pid
ErrorLog ${dir}/error.log
LogLevel warn
Mutex file:${dir} default
DefaultRuntimeDir ${dir}
StartServers 1
ServerLimit 1
ThreadsPerChild ${site.threads ?? 16}
MaxRequestWorkers ${site.threads ?? 16}
KeepAlive On
MaxKeepAliveRequests 0
TypesConfig /dev/null
AddType text/html .html
DirectoryIndex index.html
<VirtualHost 127.0.0.1:${port}>
    DocumentRoot "${site.root}"
    <Directory "${site.root}">
        Require all granted
        AllowOverride ${site.htaccess ? 'FileInfo' : 'None'}
    </Directory>
    ${site.vhostInclude ? `Include "${site.vhostInclude}"` : ''}
</VirtualHost>
`;
}

/** `apache2 -t` with a minimal config of our own (ServerRoot, modules) that includes the file in a VirtualHost. */
export async function apacheTest(site: ApacheSite): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'almanac-apache-t-'));
  try {
    await writeFile(path.join(dir, 'apache2.conf'), apacheConfig(dir, 1, site));
    const { stderr } = await promisify(execFile)(APACHE, ['-t', '-f', path.join(dir, 'apache2.conf')], {
      maxBuffer: 1 << 24,
    });
    return stderr;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function startApache(site: ApacheSite): Promise<RunningServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'almanac-apache-'));
  const port = await freePort();
  await writeFile(path.join(dir, 'apache2.conf'), apacheConfig(dir, port, site));
  const child = spawn(APACHE, ['-f', path.join(dir, 'apache2.conf'), '-DFOREGROUND'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return running(child, dir, port, path.join(dir, 'error.log'));
}

export interface CaddySite {
  /** Imported inside the site block. */
  siteImport?: string;
  root: string;
}

/** A Caddyfile with no admin endpoint, no HTTPS and its storage in the temporary folder. */
function caddyConfig(dir: string, port: number, site: CaddySite): string {
  return `{
\tadmin off
\tauto_https off
\tstorage file_system ${dir}/storage
}
http://127.0.0.1:${port} {
\troot * ${site.root}
\t${site.siteImport ? `import ${site.siteImport}` : ''}
\tfile_server
}
`;
}

const caddyEnvironment = (dir: string) => ({ ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir });

/** `caddy validate`: resolves when Caddy accepts the config, rejects with its message otherwise. */
export async function caddyValidate(site: CaddySite): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'almanac-caddy-t-'));
  try {
    await writeFile(path.join(dir, 'Caddyfile'), caddyConfig(dir, 1, site));
    await promisify(execFile)(CADDY, ['validate', '--config', path.join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
      env: caddyEnvironment(dir),
      maxBuffer: 1 << 24,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function startCaddy(site: CaddySite): Promise<RunningServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'almanac-caddy-'));
  const port = await freePort();
  await writeFile(path.join(dir, 'Caddyfile'), caddyConfig(dir, port, site));
  const child = spawn(CADDY, ['run', '--config', path.join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: caddyEnvironment(dir),
  });
  return running(child, dir, port, path.join(dir, 'caddy.log'));
}

/** Waits until the port answers (or the server exits, with its error log as the reason). */
async function running(child: ChildProcess, dir: string, port: number, logFile: string): Promise<RunningServer> {
  const stderr: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const errorLog = () => readFile(logFile, 'utf8').catch(() => '');
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (!exited) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 200; attempt++) {
    if (exited) {
      const reason = `${Buffer.concat(stderr).toString()}${await errorLog()}`.trim();
      await rm(dir, { recursive: true, force: true });
      throw new Error(`the server did not start: ${reason}`);
    }
    if (await connects(port)) return { base: `http://127.0.0.1:${port}`, port, dir, stop, errorLog };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error('the server did not answer within 10 s');
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** A site folder with the given pages (`/a/` → a/index.html). */
export async function writeSite(root: string, pages: Iterable<string>): Promise<void> {
  for (const page of pages) {
    const file = path.join(root, page.endsWith('/') ? `${page}index.html` : page);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `<!doctype html><title>${page}</title>`);
  }
}
