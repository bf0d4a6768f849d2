// Instants on the wire (LWW-1 to LWW-3): RFC 3339 with an offset on input, compared at
// millisecond resolution, sent in one canonical UTC form. Shared by the server (canonicalizing what
// it stores), the client (comparing stamps) and the conformance model.

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * The instant as whole milliseconds since the epoch, floored (LWW-3), or null when the text is not
 * an instant of `instant.schema.json` (no offset, impossible date, out-of-range field).
 */
export function parseInstant(text: string): number | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  let offsetMinutes = 0;
  if (!m[8]) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // A leap second (:60) exists only at 23:59 UTC (as the schema's date-time format says); it is
  // read as the last millisecond of its minute, since JavaScript time has no leap seconds.
  if (second === 60 && (((hour * 60 + minute - offsetMinutes) % 1440) + 1440) % 1440 !== 1439) return null;
  const wholeSecond = Math.min(second, 59);
  const extra = second === 60 ? 999 : millis;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, wholeSecond, extra);
  return utc.getTime() - offsetMinutes * 60_000;
}

/** The canonical form of `canonical-instant.schema.json`: UTC, three fractional digits, `Z` (LWW-2). */
export function formatCanonicalInstant(epochMillis: number): string {
  if (!Number.isInteger(epochMillis)) throw new RangeError(`not a whole number of milliseconds: ${epochMillis}`);
  const text = new Date(epochMillis).toISOString();
  if (text.length !== 24) throw new RangeError(`instant outside the years 0000-9999: ${epochMillis}`);
  return text;
}

/** An input instant in canonical form, or null when it is not an instant. */
export function canonicalizeInstant(text: string): string | null {
  const millis = parseInstant(text);
  return millis === null ? null : formatCanonicalInstant(millis);
}
