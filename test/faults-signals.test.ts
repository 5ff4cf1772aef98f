/**
 * Issue 22: Ctrl-C (SIGINT) and SIGTERM at random points of an import and of a build (fast-check
 * over the moment and the signal, a few runs). After the signal the folder is the old state, or
 * (an import) holds only whole documents its state file lists; the next run makes it byte for
 * byte what an uninterrupted run makes. `serve` closes its server and watchers and exits.
 */
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { temporaryDirectory } from './helpers/cli.ts';
import { differences, filesMatching, run, snapshot, start, until, writeBloggerBackup } from './helpers/faults.ts';

const STATUS = { SIGINT: 130, SIGTERM: 143 } as const;
const signals = fc.constantFrom('SIGINT' as const, 'SIGTERM' as const);

test('an import stopped by SIGINT or SIGTERM at any moment keeps only whole documents, says "interrupted", and the next run continues to the same bytes', async (t) => {
  const dir = await temporaryDirectory();
  const input = path.join(dir, 'blog.xml');
  await writeBloggerBackup(input, 60);
  const reference = path.join(dir, 'reference');
  assert.equal((await run(['import', input, '--out', reference, '--source', 'blog'])).code, 0);
  const expected = snapshot(reference);
  const documents = filesMatching(reference, /\.md$/).length;
  let runs = 0;
  const outcomes: string[] = [];
  // The moment: once this many documents are written (0: at start-up), measured, so that most runs land mid-import.
  await fc.assert(
    fc.asyncProperty(signals, fc.integer({ min: 0, max: Math.floor(documents / 2) }), async (signal, written) => {
      const out = path.join(dir, `run-${runs++}`);
      const importing = start([
        'import',
        input,
        '--out',
        out,
        '--source',
        'blog',
        '--report',
        path.join(dir, `report-${runs}.json`),
      ]);
      let exited = false;
      void importing.exited.then(() => (exited = true));
      await until(() => exited || filesMatching(out, /\.md$/).length >= written, `${written} documents`);
      importing.child.kill(signal);
      const { code, signal: killedBy } = await importing.exited;
      const stderr = importing.stderr();
      const name = signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM';
      outcomes.push(
        killedBy ? 'before start' : code === 0 ? 'finished' : importing.stdout() ? 'interrupted' : 'stopped at once',
      );
      if (killedBy) {
        // Before Almanac's handlers were installed: Node's default, nothing written.
        assert.equal(killedBy, signal);
        assert.deepEqual(filesMatching(out, /./), []);
      } else if (code === 0) {
        assert.deepEqual(
          differences(snapshot(out), expected),
          [],
          'finished before the signal, but not as an uninterrupted import',
        );
      } else {
        assert.equal(code, STATUS[signal], stderr);
        if (importing.stdout()) {
          // Stopped after the documents in hand: the summary and the report say so.
          assert.equal(
            stderr.split('\n')[0],
            `almanac import: ${name}: stopping after the documents in hand (${name} again stops at once)`,
          );
          assert.match(
            importing.stdout(),
            new RegExp(
              `^blog: \\d+ entries \\(blogger\\) → ${out}/blog/: \\d+ written, 0 unchanged, \\d+ skipped — interrupted \\(${signal}\\): run the same command again to import the rest\\n$`,
            ),
          );
          const report = JSON.parse(readFileSync(path.join(dir, `report-${runs}.json`), 'utf8')) as {
            interrupted: string;
            written: number;
          };
          assert.equal(report.interrupted, signal);
          assert.equal(report.written, filesMatching(path.join(out, 'blog'), /\.md$/).length);
        } else {
          // Stopped before the import began (taking its lock): at once.
          assert.equal(stderr, `almanac import: interrupted (${signal})\n`);
        }
      }
      // Only whole documents, each as an uninterrupted import writes it, and the state file lists exactly those.
      const now = snapshot(out);
      const documents = [...now.keys()].filter((file) => file.endsWith('.md'));
      for (const file of documents) assert.equal(now.get(file), expected.get(file), `${file} is not whole`);
      const stateFile = path.join(out, 'blog', '.almanac-import.json');
      if (existsSync(stateFile)) {
        const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { documents: Record<string, { file: string }> };
        assert.deepEqual(
          Object.values(state.documents)
            .map((record) => `blog/${record.file}`)
            .sort(),
          documents.sort(),
        );
      }
      assert.deepEqual(filesMatching(out, /\.tmp$|\.lock$/), []);

      const again = await run(['import', input, '--out', out, '--source', 'blog']);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(differences(snapshot(out), expected), []);
    }),
    { numRuns: 3, examples: [['SIGINT', 20]] },
  );
  t.diagnostic(`outcomes: ${outcomes.join(', ')}`);
  assert.ok(outcomes.includes('interrupted'), 'no run stopped mid-import');
});

test('a build stopped by SIGINT or SIGTERM at any moment leaves the last site as it was; the next run builds the same bytes as an uninterrupted build', async (t) => {
  const dir = await temporaryDirectory();
  const content = path.join(dir, 'content');
  await writeBloggerBackup(path.join(dir, 'old.xml'), 8);
  assert.equal((await run(['import', path.join(dir, 'old.xml'), '--out', content, '--source', 'blog'])).code, 0);
  const oldSite = path.join(dir, 'old-site');
  assert.equal((await run(['build', '--content', content, '--out', oldSite, '--no-search'])).code, 0);
  const before = snapshot(oldSite);
  // Every document gains a line: the next build changes every page, and writes the same files.
  for (const file of filesMatching(content, /\.md$/))
    appendFileSync(path.join(content, file), '\nA line the next build adds.\n');
  const newSite = path.join(dir, 'new-site');
  assert.equal((await run(['build', '--content', content, '--out', newSite, '--no-search'])).code, 0);
  const after = snapshot(newSite);
  const pages = filesMatching(newSite, /\.html$/).length;

  let runs = 0;
  const outcomes: string[] = [];
  // The moment: once the new folder holds this many pages (0: at start-up; more than there are: as it publishes).
  await fc.assert(
    fc.asyncProperty(signals, fc.integer({ min: 0, max: pages + 5 }), async (signal, built) => {
      const name = `site-${runs++}`;
      const out = path.join(dir, name);
      cpSync(oldSite, out, { recursive: true });
      const building = start(['build', '--content', content, '--out', out, '--no-search']);
      let exited = false;
      void building.exited.then(() => (exited = true));
      await until(
        () =>
          exited || filesMatching(path.join(dir, `.${name}.almanac-new`), /\.html$/).length >= Math.min(built, pages),
        `${built} pages`,
      );
      building.child.kill(signal);
      const { code, signal: killedBy } = await building.exited;
      outcomes.push(killedBy ? 'before start' : code === 0 ? 'finished' : 'interrupted');
      if (killedBy) {
        assert.equal(killedBy, signal);
        assert.deepEqual(differences(snapshot(out), before), []);
      } else if (code === 0) {
        assert.deepEqual(
          differences(snapshot(out), after),
          [],
          'finished before the signal, but not as an uninterrupted build',
        );
      } else {
        assert.equal(code, STATUS[signal], building.stderr());
        // Stopped while building (the new folder removed), or before it began.
        const said = building
          .stderr()
          .split('\n')
          .filter((line) => line.startsWith('almanac build:'))
          .join('\n');
        assert.ok(
          [
            `almanac build: interrupted (${signal}); ${out}/ is left as the last build made it`,
            `almanac build: interrupted (${signal})`,
          ].includes(said),
          building.stderr(),
        );
        assert.deepEqual(differences(snapshot(out), before), [], 'the last site changed');
      }
      assert.deepEqual(
        filesMatching(dir, /^\.site-\d+\.almanac/),
        [],
        'an unfinished build or a lock was left beside the site',
      );

      const again = await run(['build', '--content', content, '--out', out, '--no-search']);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(differences(snapshot(out), after), []);
    }),
    { numRuns: 2, examples: [['SIGTERM', Math.floor(pages / 2)]] },
  );
  t.diagnostic(`outcomes: ${outcomes.join(', ')}`);
  assert.ok(outcomes.includes('interrupted'), 'no run stopped mid-build');

  // serve: up to date (new-site was built from this content), it serves, then SIGTERM closes the server and the watchers.
  const port = 18_000 + Math.floor(Math.random() * 20_000);
  const serving = start(['serve', '--content', content, '--out', newSite, '--port', String(port)]);
  await until(() => serving.stdout().includes('Serving'), 'serve to start', 60_000);
  assert.equal(await canConnect(port), true);
  serving.child.kill('SIGTERM');
  const { code } = await serving.exited;
  assert.equal(code, 0, serving.stderr());
  assert.match(
    serving.stderr(),
    /almanac serve: SIGTERM: closing the server and the watchers \(SIGTERM again stops at once\)\nStopped serving \(SIGTERM\)\.\n$/,
  );
  assert.equal(await canConnect(port), false);
  assert.equal(existsSync(path.join(dir, '.new-site.almanac.lock')), false, 'serve left its lock');
});

test('a build stopped by Ctrl-C during its imports stops after the documents in hand and builds nothing', async () => {
  const dir = await temporaryDirectory();
  await writeBloggerBackup(path.join(dir, 'blog.xml'), 100);
  const config = path.join(dir, 'almanac.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      site: { title: 'Faults' },
      sources: [
        { id: 'blog', format: 'blogger', inputs: ['blog.xml'] },
        { id: 'never', format: 'blogger', inputs: ['blog.xml'] },
      ],
      redirects: [],
    }),
  );
  const content = path.join(dir, 'content');
  const out = path.join(dir, 'site');
  // From the folder of the config: the output folder is named as the user gave it, site/.
  const building = start(['build', '--config', config, '--out', 'site', '--no-search'], { cwd: dir });
  let exited = false;
  void building.exited.then(() => (exited = true));
  await until(() => exited || filesMatching(content, /\.md$/).length >= 10, 'the first documents');
  building.child.kill('SIGINT');
  const { code } = await building.exited;
  assert.equal(code, 130, building.stderr());
  assert.match(
    building.stderr(),
    new RegExp(
      `^almanac build: Ctrl-C: stopping after the documents in hand \\(Ctrl-C again stops at once\\)\n(?:.*\n)*blog: \\d+ entries \\(blogger\\) → ${content}/blog/: \\d+ written, 0 unchanged, \\d+ skipped — interrupted \\(SIGINT\\): run the same command again to import the rest\nalmanac build: interrupted \\(SIGINT\\) during the imports; site/ is left as the last build made it\n$`,
    ),
  );
  assert.equal(existsSync(path.join(content, 'never')), false, 'the next source was begun');
  assert.equal(existsSync(out), false, 'a site was built');
  assert.deepEqual(filesMatching(dir, /\.tmp$|\.lock$|almanac-new/), []);
});

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
