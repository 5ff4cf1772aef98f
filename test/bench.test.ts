/**
 * The benchmark suite's own tools: the log–log chart, the summaries, measuring a real command
 * under GNU time (peak RSS, time budget, failures), the scaling slope, and the module contract
 * bench/run.ts relies on (every bench/*.bench.ts exports a name and run).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe as suite, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { logLogChart, type Series } from '../bench/lib/chart.ts';
import { describe, measureCommand, repeat, summarize, TimeLimitExceeded } from '../bench/lib/measure.ts';
import { scalingExponent } from '../bench/scaling.bench.ts';
import { ROOT } from './helpers/cli.ts';

const BENCH = path.join(ROOT, 'bench');

suite('logLogChart', () => {
  const series: Series[] = [
    {
      label: 'import <wall>',
      color: '#1f77b4',
      points: [
        { x: 500, y: 1.2 },
        { x: 5000, y: 9.5 },
        { x: 50_000, y: 97 },
      ],
    },
    {
      label: 'build & index',
      color: '#d62728',
      points: [
        { x: 500, y: 4 },
        { x: 5000, y: 41 },
      ],
    },
  ];
  const svg = logLogChart('Import & build "time"', 'posts', 'seconds', series);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg);

  test('is well-formed XML with an svg root, escaping labels', () => {
    assert.equal(XMLValidator.validate(svg), true);
    assert.equal(parsed.svg.xmlns, 'http://www.w3.org/2000/svg');
    assert.equal(parsed.svg['aria-label'], 'Import & build "time"');
    const texts = [parsed.svg.text]
      .flat()
      .map((text: unknown) => (typeof text === 'object' ? (text as { '#text': unknown })['#text'] : text));
    assert.ok(texts.includes('import <wall>'), `legend labels: ${texts.join(' | ')}`);
  });

  test('draws one polyline per series with one point per measurement, rising left to right', () => {
    const polylines = [parsed.svg.polyline].flat();
    assert.equal(polylines.length, 2);
    polylines.forEach((polyline: { points: string; stroke: string }, index: number) => {
      const points = polyline.points
        .trim()
        .split(/\s+/)
        .map((pair) => pair.split(',').map(Number));
      assert.equal(points.length, series[index].points.length);
      assert.equal(polyline.stroke, series[index].color);
      for (let at = 1; at < points.length; at++) {
        assert.ok(points[at][0] > points[at - 1][0], 'x grows with N');
        assert.ok(points[at][1] < points[at - 1][1], 'y grows upwards (smaller SVG y)');
      }
    });
  });

  test('puts equal ratios at equal distances (log axes)', () => {
    const [first] = [parsed.svg.polyline].flat() as { points: string }[];
    const xs = first.points
      .trim()
      .split(/\s+/)
      .map((pair) => Number(pair.split(',')[0]));
    assert.ok(Math.abs(xs[1] - xs[0] - (xs[2] - xs[1])) < 0.2, `x positions ${xs.join(', ')}`);
  });

  test('leaves out points it cannot place on log axes, and says when there is no data', () => {
    const svgWithZero = logLogChart('t', 'x', 'y', [
      {
        label: 'a',
        color: '#000',
        points: [
          { x: 10, y: 1 },
          { x: 100, y: 0 },
          { x: 1000, y: 3 },
        ],
      },
    ]);
    const polyline = [
      new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svgWithZero).svg.polyline,
    ].flat()[0] as { points: string };
    assert.equal(polyline.points.trim().split(/\s+/).length, 2);
    const empty = logLogChart('Nothing', 'x', 'y', [{ label: 'a', color: '#000', points: [] }]);
    assert.equal(XMLValidator.validate(empty), true);
    assert.match(empty, /Nothing: no data/);
  });
});

suite('summaries', () => {
  test('median of an odd and an even count, min and max whatever the order', () => {
    assert.deepEqual(summarize([3, 1, 2]), { median: 2, min: 1, max: 3, runs: 3 });
    assert.deepEqual(summarize([4, 1, 10, 2]), { median: 3, min: 1, max: 10, runs: 4 });
    assert.deepEqual(summarize([7]), { median: 7, min: 7, max: 7, runs: 1 });
  });

  test('describe shows median and spread', () => {
    assert.equal(describe(summarize([1.1, 1.4, 1.23])), '1.230 s (1.100–1.400, 3 runs)');
    assert.equal(describe(summarize([120, 180, 150]), 'MB'), '150.0 MB (120.0–180.0, 3 runs)');
  });

  test('the scaling slope is 1 for linear and 2 for quadratic growth, taken between the two largest sizes', () => {
    assert.equal(scalingExponent([{ x: 500, y: 1 }]), null);
    assert.ok(
      Math.abs(
        scalingExponent([
          { x: 500, y: 1 },
          { x: 5000, y: 10 },
          { x: 50_000, y: 100 },
        ])! - 1,
      ) < 1e-9,
    );
    assert.ok(
      Math.abs(
        scalingExponent([
          { x: 500, y: 9 },
          { x: 5000, y: 1 },
          { x: 50_000, y: 100 },
        ])! - 2,
      ) < 1e-9,
    );
  });
});

suite('measureCommand (GNU time)', {
  skip: existsSync('/usr/bin/time') ? false : 'GNU time is not installed (apt-get install time)',
}, () => {
  test('reports the peak RSS of the command, not of the benchmark', async () => {
    const small = await measureCommand(process.execPath, ['-e', '']);
    const large = await measureCommand(process.execPath, ['-e', 'Buffer.alloc(300 * 2 ** 20, 1)']);
    assert.ok(large.peakRssMb > 300, `peak ${large.peakRssMb} MB`);
    assert.ok(small.peakRssMb < large.peakRssMb - 250, `small ${small.peakRssMb} MB, large ${large.peakRssMb} MB`);
    assert.ok(large.seconds > 0 && large.cpuSeconds > 0);
  });

  test('a command that outlives its budget is stopped and reported as such', async () => {
    const started = performance.now();
    await assert.rejects(
      measureCommand('sleep', ['30'], { timeoutSeconds: 1 }),
      (error: Error) => error instanceof TimeLimitExceeded && /longer than 1 s/.test(error.message),
    );
    assert.ok(performance.now() - started < 15_000);
  });

  test('a failing command rejects with its exit status and stderr', async () => {
    await assert.rejects(
      measureCommand(process.execPath, ['-e', 'console.error("no such input"); process.exit(3)']),
      /failed \(3\): no such input/,
    );
  });

  test('repeat runs a warm-up and then the asked number of runs', async () => {
    let runs = 0;
    const result = await repeat(3, async () => ({ seconds: ++runs, cpuSeconds: 1, peakRssMb: 10 * runs }));
    assert.equal(runs, 4);
    assert.deepEqual(result.seconds, { median: 3, min: 2, max: 4, runs: 3 });
    assert.equal(result.peakRssMb.median, 30);
  });
});

test('every bench module exports a name and run({ quick }), as bench/run.ts expects', async () => {
  const files = (await readdir(BENCH)).filter((file) => file.endsWith('.bench.ts'));
  assert.ok(files.includes('scaling.bench.ts'));
  const names = new Set<string>();
  for (const file of files) {
    const module = (await import(path.join(BENCH, file))) as { name?: unknown; run?: unknown };
    assert.equal(typeof module.name, 'string', `${file} exports name`);
    assert.equal(typeof module.run, 'function', `${file} exports run`);
    assert.ok(!names.has(module.name as string), `${file}: the name ${module.name} is taken`);
    names.add(module.name as string);
  }
});
