import path from 'node:path';
import { UsageError } from '../../src/errors.ts';

/**
 * Pipermail's volumes: Mailman 2 archives a list by year, quarter, month, week or day
 * (`archive_volume_frequency`), names each volume as HyperArch's dateToVolName does (`2024`,
 * `2026q3`, `2020-May`, `Week-of-Mon-20011231`, `20011231`) and writes it as `<volume>.txt`
 * (`.txt.gz`). The name is the folder of the volume's old pages, `<volume>/<NNNNNN>.html`.
 */

export type Period = 'year' | 'quarter' | 'month' | 'week' | 'day';

export interface Volume {
  /** The folder name of its old pages, exactly as Mailman wrote it. */
  name: string;
  period: Period;
  /** The period's first and next-after-last day, as UTC milliseconds: they order volumes and find gaps. */
  start: number;
  end: number;
}

export interface VolumeFile {
  file: string;
  volume?: Volume;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAY = 24 * 60 * 60 * 1000;
export const VOLUME_EXAMPLES = '2024, 2026q3, 2020-May, Week-of-Mon-20011231, 20011231';

/** The volume a Mailman volume name stands for, or undefined when it is not one. */
export function volumeNamed(name: string): Volume | undefined {
  let match = /^(\d{4})$/.exec(name);
  if (match)
    return { name, period: 'year', start: Date.UTC(Number(match[1]), 0), end: Date.UTC(Number(match[1]) + 1, 0) };
  match = /^(\d{4})q([1-4])$/.exec(name);
  if (match) {
    const first = (Number(match[2]) - 1) * 3;
    return {
      name,
      period: 'quarter',
      start: Date.UTC(Number(match[1]), first),
      end: Date.UTC(Number(match[1]), first + 3),
    };
  }
  match = /^(\d{4})-([A-Za-z]+)$/.exec(name);
  if (match) {
    const month = MONTH_NAMES.findIndex((month) => month.toLowerCase() === match![2].toLowerCase());
    if (month === -1) return undefined;
    return {
      name,
      period: 'month',
      start: Date.UTC(Number(match[1]), month),
      end: Date.UTC(Number(match[1]), month + 1),
    };
  }
  match = /^(Week-of-Mon-|)(\d{4})(\d\d)(\d\d)$/.exec(name);
  if (match) {
    const start = Date.UTC(Number(match[2]), Number(match[3]) - 1, Number(match[4]));
    // 20011331 would roll over into 2002: not a date Mailman wrote.
    if (new Date(start).toISOString().slice(0, 10).replace(/-/g, '') !== `${match[2]}${match[3]}${match[4]}`)
      return undefined;
    return match[1]
      ? { name, period: 'week', start, end: start + 7 * DAY }
      : { name, period: 'day', start, end: start + DAY };
  }
  return undefined;
}

/** The file name without `.txt`, `.txt.gz`, `.gz`: a Mailman volume name when the file kept its name. */
function stem(file: string): string {
  return path.basename(file).replace(/(\.txt)?(\.gz)?$/i, '');
}

/**
 * The volume of a file, from its name: a Mailman volume name, or a month named the way mirrors
 * rename them (`pipermail_2015_november.txt`: the year and the month's name).
 */
export function volumeOfFile(file: string): Volume | undefined {
  const exact = volumeNamed(stem(file));
  if (exact) return exact;
  const match = /(\d{4})[-_ ]?([A-Za-z]{3,9})/.exec(path.basename(file));
  if (!match) return undefined;
  const month = MONTH_NAMES.findIndex(
    (name) =>
      name.toLowerCase().startsWith(match[2].toLowerCase().slice(0, 3)) &&
      name.toLowerCase().startsWith(match[2].toLowerCase()),
  );
  if (month === -1) return undefined;
  return volumeNamed(`${match[1]}-${MONTH_NAMES[month]}`);
}

/**
 * `--volume NAME` (one input) or `--volume FILE=NAME` (repeatable; FILE as given or its base
 * name): the volume of inputs renamed since Mailman wrote them (`2011-07.txt`, `List-5`).
 */
export function namedVolumes(option: unknown, inputs: readonly string[]): Map<string, Volume> {
  const values = option === undefined ? [] : Array.isArray(option) ? option : [option];
  const named = new Map<string, Volume>();
  for (const value of values) {
    if (typeof value !== 'string' || value.trim() === '')
      throw new UsageError('--volume needs a Mailman volume name, as NAME or FILE=NAME');
    const equals = value.lastIndexOf('=');
    const name = value.slice(equals + 1).trim();
    const volume = volumeNamed(name);
    if (!volume)
      throw new UsageError(
        `--volume ${value}: "${name}" is not a Mailman volume name (${VOLUME_EXAMPLES}); it is the folder of the old pages, /pipermail/<list>/<volume>/000123.html`,
      );
    if (equals === -1) {
      if (inputs.length !== 1)
        throw new UsageError(
          `--volume ${value}: with ${inputs.length} inputs, say which file it names: --volume FILE=${name}`,
        );
      named.set(inputs[0], volume);
      continue;
    }
    const file = value.slice(0, equals);
    const input =
      inputs.find((candidate) => candidate === file) ??
      inputs.find((candidate) => path.basename(candidate) === path.basename(file));
    if (!input) throw new UsageError(`--volume ${value}: "${file}" is not among the inputs`);
    named.set(input, volume);
  }
  return named;
}

/** The inputs with their volumes, in the order Mailman archived them (files with no volume last, as given). */
export function pipermailVolumes(inputs: readonly string[], option: unknown): VolumeFile[] {
  const named = namedVolumes(option, inputs);
  return inputs
    .map((file, order) => ({ file, order, volume: named.get(file) ?? volumeOfFile(file) }))
    .sort(
      (a, b) =>
        (a.volume?.start ?? Number.MAX_SAFE_INTEGER) - (b.volume?.start ?? Number.MAX_SAFE_INTEGER) ||
        a.order - b.order,
    )
    .map(({ file, volume }) => ({ file, volume }));
}

/** Why a file gives no old URLs: one line, with what to do. */
export function noVolumeReason(file: string): string {
  return `${path.basename(file)}: "${stem(file)}" is not a Mailman volume name (${VOLUME_EXAMPLES}), so its messages get no old Pipermail URLs; name its volume with --volume ${path.basename(file)}=NAME`;
}
