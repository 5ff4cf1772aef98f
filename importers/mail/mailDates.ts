/**
 * Dates as mail wrote them, leniently: RFC 5322 (`Tue, 19 Jun 2016 18:26:26 +0200`), obsolete zone
 * names (`EST`, `MET`, `(CEST)` comments), two-digit years, missing seconds, and the asctime of
 * From_ lines (`Wed Feb  9 22:02 MET 2000`, `Sat Nov 14 21:29:28 2015`). Date.parse accepts some of
 * these and silently shifts others to local time, so this is written out.
 */

export interface MailDate {
  /** Milliseconds since the epoch. */
  time: number;
  /** Offset from UTC in minutes, as the message wrote it (0 when it wrote none). */
  offset: number;
  /** Why the zone is not known: `no zone`, or the token where it should be (`"+01"`); the time was read as UTC. Undefined when the zone was understood. */
  zoneUnknown?: string;
}

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  wet: 0,
  bst: 60,
  cet: 60,
  met: 60,
  mez: 60,
  cest: 120,
  mest: 120,
  mesz: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  ist: 330,
  jst: 540,
  kst: 540,
  hkt: 480,
  sgt: 480,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
};

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** A mail or From_ line date, or undefined when it is not one (the caller decides what stands in). */
export function parseMailDate(text: string | undefined): MailDate | undefined {
  if (!text) return undefined;
  const tokens = text
    .replace(/\([^)]*\)/g, ' ')
    .replace(/,/g, ' ')
    .trim()
    .split(/\s+/);
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  let time: number[] | undefined;
  let offset: number | undefined;
  let zoneUnknown: string | undefined;
  for (const token of tokens) {
    const lower = token.toLowerCase();
    const timeMatch = TIME.exec(token);
    if (timeMatch && !time) {
      time = [Number(timeMatch[1]), Number(timeMatch[2]), Number(timeMatch[3] ?? 0)];
    } else if (time && offset === undefined && !/^\d+$/.test(token)) {
      // After the time comes the zone (asctime puts the year there too); what is not one is said.
      offset = zoneOffset(lower);
      if (offset === undefined) zoneUnknown ??= `"${token}"`;
    } else if (lower.slice(0, 3) in MONTHS && /^[a-z]+\.?$/.test(lower) && month === undefined) {
      month = MONTHS[lower.slice(0, 3)];
    } else if (/^\d{1,2}$/.test(token) && day === undefined && !time) {
      day = Number(token);
    } else if (/^\d{4}$/.test(token) && year === undefined) {
      year = Number(token);
    } else if (/^\d{2}$/.test(token) && year === undefined && day !== undefined) {
      const short = Number(token);
      year = short < 50 ? 2000 + short : 1900 + short;
    } else if (/^\d{1,2}-[a-z]{3}-\d{2,4}$/i.test(token)) {
      const [d, m, y] = token.split('-');
      day = Number(d);
      month = MONTHS[m.toLowerCase()];
      year = y.length === 2 ? (Number(y) < 50 ? 2000 + Number(y) : 1900 + Number(y)) : Number(y);
    }
  }
  if (day === undefined || month === undefined || year === undefined || !time) return undefined;
  if (day < 1 || day > 31 || time[0] > 23 || time[1] > 59 || time[2] > 60 || year < 1970 || year > 9999)
    return undefined;
  const zone = offset ?? 0;
  const time_ = Date.UTC(year, month, day, time[0], time[1], Math.min(time[2], 59)) - zone * 60_000;
  if (Number.isNaN(time_)) return undefined;
  if (offset === undefined) return { time: time_, offset: 0, zoneUnknown: zoneUnknown ?? 'no zone' };
  return { time: time_, offset: zone };
}

/** Minutes east of UTC for a zone token (`+0200`, `-04:00`, `GMT+0100`, `CEST`), or undefined for what no clock has (`+50579034`, `+01`, `dR`, `-3000`). */
function zoneOffset(token: string): number | undefined {
  if (Object.hasOwn(ZONES, token)) return ZONES[token];
  const numeric = /^(?:gmt|utc|ut)?([+-])(\d\d):?(\d\d)$/.exec(token);
  if (!numeric) return undefined;
  const hours = Number(numeric[2]);
  const minutes = Number(numeric[3]);
  if (hours > 14 || minutes > 59) return undefined;
  return (numeric[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

export interface DateSources {
  /** The Date header. */
  header?: string;
  /** The From_ line without `From `. */
  envelope?: string;
  /** The Received headers, newest (topmost) first. */
  received: readonly string[];
}

/**
 * A message's date from the best source it has: its Date header when that is a date with a zone;
 * else the From_ line's date or the first Received header's, whichever states a zone (in that order);
 * else the Date's own clock (without one, the From_ line's or Received's), zone unknown, read as UTC.
 * `warning` says what was done when the Date header was not used as it is; no date: nothing dates
 * the message (the caller files it).
 */
export function messageDate(sources: DateSources): { date?: MailDate; warning?: string } {
  const header = parseMailDate(sources.header);
  if (header && !header.zoneUnknown) return { date: header };
  const envelope = parseMailDate(
    sources.envelope && /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b.*$/.exec(sources.envelope)?.[0],
  );
  const firstReceived = sources.received[0];
  const received =
    firstReceived === undefined ? undefined : parseMailDate(firstReceived.slice(firstReceived.lastIndexOf(';') + 1));
  const problem = header
    ? `the Date "${sources.header}" has ${header.zoneUnknown === 'no zone' ? 'no zone' : `the impossible zone ${header.zoneUnknown}`}`
    : sources.header
      ? `the Date "${sources.header}" is not a date`
      : 'no Date header';
  if (envelope && !envelope.zoneUnknown && envelope.time > 0)
    return { date: envelope, warning: `${problem}; the "From " line's date is used` };
  if (received && !received.zoneUnknown)
    return { date: received, warning: `${problem}; the first Received header's date is used` };
  if (header)
    return { date: header, warning: `${problem}, and no other date in the message has one: zone unknown, read as UTC` };
  if (envelope && envelope.time > 0)
    return { date: envelope, warning: `${problem}; the "From " line's date is used (zone unknown, read as UTC)` };
  if (received)
    return {
      date: received,
      warning: `${problem}; the first Received header's date is used (zone unknown, read as UTC)`,
    };
  return sources.header ? { warning: `the Date "${sources.header}" is not a date` } : {};
}

/** ISO 8601 in the message's own offset: `2016-06-16T22:14:41-04:00`. */
export function formatMailDate(date: MailDate): string {
  const local = new Date(date.time + date.offset * 60_000).toISOString().slice(0, 19);
  const sign = date.offset < 0 ? '-' : '+';
  const absolute = Math.abs(date.offset);
  return `${local}${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}
