/**
 * Dates as the frontmatter contract wants them: ISO 8601 with an offset, exactly as the input
 * wrote them when they are valid (no time-zone shifting). What is not valid is said, never guessed silently.
 */

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const ISO_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;
/** Later than this is almost surely a broken clock or a typo in the input. */
const FAR_FUTURE_MS = Date.UTC(2100, 0, 1);

export interface DateVerdict {
  value?: string;
  warning?: string;
}

export function normalizeDate(value: string | undefined, what = 'date'): DateVerdict {
  if (value === undefined) return {};
  const trimmed = value.trim();
  if (ISO_WITH_OFFSET.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) {
    return Date.parse(trimmed) > FAR_FUTURE_MS
      ? { value: trimmed, warning: `the ${what} ${trimmed} is far in the future; kept as written` }
      : { value: trimmed };
  }
  if (
    ISO_WITHOUT_OFFSET.test(trimmed) &&
    !Number.isNaN(Date.parse(`${trimmed.length === 10 ? `${trimmed}T00:00:00` : trimmed}Z`))
  ) {
    const withZone = `${trimmed.length === 10 ? `${trimmed}T00:00:00` : trimmed}Z`;
    return { value: withZone, warning: `the ${what} ${trimmed} has no time zone; taken as UTC (${withZone})` };
  }
  const parsed = Date.parse(trimmed);
  if (!Number.isNaN(parsed) && trimmed !== '') {
    const iso = new Date(parsed).toISOString();
    return { value: iso, warning: `the ${what} "${trimmed}" is not ISO 8601; read as ${iso}` };
  }
  return { warning: `the ${what} "${trimmed}" is not a date; left out` };
}
