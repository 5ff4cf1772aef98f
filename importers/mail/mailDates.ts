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
}

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, bst: 60, cet: 60, met: 60, mez: 60, cest: 120, mest: 120, mesz: 120, eet: 120, eest: 180, msk: 180,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420, akst: -540, akdt: -480, hst: -600,
  ist: 330, jst: 540, kst: 540, hkt: 480, sgt: 480, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** A mail or From_ line date, or undefined when it is not one (the caller decides what stands in). */
export function parseMailDate(text: string | undefined): MailDate | undefined {
  if (!text) return undefined;
  const tokens = text.replace(/\([^)]*\)/g, ' ').replace(/,/g, ' ').trim().split(/\s+/);
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  let time: number[] | undefined;
  let offset: number | undefined;
  for (const token of tokens) {
    const lower = token.toLowerCase();
    const timeMatch = TIME.exec(token);
    if (timeMatch && !time) {
      time = [Number(timeMatch[1]), Number(timeMatch[2]), Number(timeMatch[3] ?? 0)];
    } else if (/^[+-]\d{4}$/.test(token) && time && offset === undefined) {
      const hours = Number(token.slice(1, 3));
      const minutes = Number(token.slice(3));
      if (hours <= 14 && minutes < 60) offset = (token[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
      else offset = 0; // `-3000`: a zone no clock has; the time is kept as UTC.
    } else if (lower.slice(0, 3) in MONTHS && /^[a-z]+\.?$/.test(lower) && month === undefined) {
      month = MONTHS[lower.slice(0, 3)];
    } else if (lower in ZONES && time && offset === undefined) {
      offset = ZONES[lower];
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
  if (day < 1 || day > 31 || time[0] > 23 || time[1] > 59 || time[2] > 60 || year < 1970 || year > 9999) return undefined;
  const zone = offset ?? 0;
  const time_ = Date.UTC(year, month, day, time[0], time[1], Math.min(time[2], 59)) - zone * 60_000;
  if (Number.isNaN(time_)) return undefined;
  return { time: time_, offset: zone };
}

/** ISO 8601 in the message's own offset: `2016-06-16T22:14:41-04:00`. */
export function formatMailDate(date: MailDate): string {
  const local = new Date(date.time + date.offset * 60_000).toISOString().slice(0, 19);
  const sign = date.offset < 0 ? '-' : '+';
  const absolute = Math.abs(date.offset);
  return `${local}${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}
