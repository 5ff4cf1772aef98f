/**
 * A log–log line chart as a standalone SVG, for bench/RESULTS.md. Hand-written: three points
 * per series need no charting library (they pull in a DOM or a browser to render).
 */
export interface Series {
  label: string;
  color: string;
  points: { x: number; y: number }[];
}

const WIDTH = 640;
const HEIGHT = 400;
const MARGIN = { top: 30, right: 160, bottom: 50, left: 70 };

export function logLogChart(title: string, xLabel: string, yLabel: string, series: readonly Series[]): string {
  const points = series.flatMap((line) => line.points).filter((point) => point.x > 0 && point.y > 0);
  if (points.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="60"><text x="10" y="30">${escape(title)}: no data</text></svg>\n`;
  const decades = (values: number[]) =>
    [Math.floor(Math.log10(Math.min(...values))), Math.ceil(Math.log10(Math.max(...values)))] as const;
  const [xMin, xMax] = decades(points.map((point) => point.x));
  const [yMin, yMax] = decades(points.map((point) => point.y));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (value: number) => MARGIN.left + ((Math.log10(value) - xMin) / Math.max(1, xMax - xMin)) * plotWidth;
  const y = (value: number) =>
    MARGIN.top + plotHeight - ((Math.log10(value) - yMin) / Math.max(1, yMax - yMin)) * plotHeight;
  const parts: string[] = [];
  for (let decade = xMin; decade <= xMax; decade++) {
    parts.push(
      `<line x1="${x(10 ** decade)}" y1="${MARGIN.top}" x2="${x(10 ** decade)}" y2="${MARGIN.top + plotHeight}" stroke="#ddd"/>`,
    );
    parts.push(
      `<text x="${x(10 ** decade)}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${format(10 ** decade)}</text>`,
    );
  }
  for (let decade = yMin; decade <= yMax; decade++) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${y(10 ** decade)}" x2="${MARGIN.left + plotWidth}" y2="${y(10 ** decade)}" stroke="#ddd"/>`,
    );
    parts.push(
      `<text x="${MARGIN.left - 8}" y="${y(10 ** decade) + 4}" text-anchor="end">${format(10 ** decade)}</text>`,
    );
  }
  series.forEach((line, index) => {
    const valid = line.points.filter((point) => point.x > 0 && point.y > 0);
    parts.push(
      `<polyline fill="none" stroke="${line.color}" stroke-width="2" points="${valid.map((point) => `${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const point of valid)
      parts.push(
        `<circle cx="${x(point.x).toFixed(1)}" cy="${y(point.y).toFixed(1)}" r="3.5" fill="${line.color}"><title>${escape(line.label)}: ${format(point.x)} → ${point.y.toPrecision(3)}</title></circle>`,
      );
    parts.push(
      `<rect x="${WIDTH - MARGIN.right + 15}" y="${MARGIN.top + index * 22}" width="12" height="12" fill="${line.color}"/>`,
    );
    parts.push(
      `<text x="${WIDTH - MARGIN.right + 32}" y="${MARGIN.top + index * 22 + 11}">${escape(line.label)}</text>`,
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" role="img" aria-label="${escape(title)}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>`,
    ...parts,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escape(xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function format(value: number): string {
  return value >= 1000 ? `${value / 1000}k` : String(Number(value.toPrecision(3)));
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}
