// Local time and numbers, as Django's USE_TZ + localization: datetimes stored in UTC, shown and entered in TIME_ZONE;
// dates and numbers formatted with Intl for LANGUAGE_CODE (decimals keep their scale).
import { state } from '../core/conf/state';

/** The zone datetimes are shown and entered in: TIME_ZONE with USE_TZ, else UTC (values are taken as they are). */
export function timeZone(): string {
  const s = state.settings;
  return s && s.USE_TZ === false ? 'UTC' : (s?.TIME_ZONE as string | undefined) ?? 'UTC';
}

function locale(): string {
  return (state.settings?.LANGUAGE_CODE as string | undefined) ?? 'en-us';
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) { f = make(); cache.set(key, f); }
  return f;
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(date: Date, tz: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const f = cached(`parts:${tz}`, () => new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  })) as Intl.DateTimeFormat;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(date)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year, mo: p.month, d: p.day, h: p.hour % 24, mi: p.minute, s: p.second };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * An instant as the datetime-local input shows it, in TIME_ZONE.
 * @example toLocalInput(new Date('2025-10-19T13:13:00Z')) // '2025-10-19T15:13' with TIME_ZONE 'Europe/Paris'
 */
export function toLocalInput(date: Date): string {
  const w = wallClock(date, timeZone());
  const base = `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}`;
  return w.s ? `${base}:${pad(w.s)}` : base;
}

/**
 * A wall-clock time typed in TIME_ZONE → the UTC instant to store. In a DST gap the time moves forward by the gap; in
 * an overlap (a fall-back night) one of the two instants is taken, the later one in European zones.
 * @example fromLocalInput('2025-10-19', '15:13:00') // 2025-10-19T13:13:00Z with TIME_ZONE 'Europe/Paris'
 */
export function fromLocalInput(day: string, time: string): Date {
  const [y, mo, d] = day.split('-').map(Number);
  const [h, mi, s = 0] = time.split(':').map(Number);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, Math.floor(s), Math.round((s % 1) * 1000));
  const tz = timeZone();
  if (tz === 'UTC') return new Date(asUtc);
  const offset = (t: number) => { const w = wallClock(new Date(t), tz); return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(t / 1000) * 1000; };
  const first = offset(asUtc);
  let t = asUtc - first;
  const second = offset(t);
  // In a gap (02:30 on a spring-forward night) the smaller offset moves the time forward (03:30), as most libraries do.
  if (second !== first) t = asUtc - Math.min(first, second);
  return new Date(t);
}

/** A datetime as the change list and read-only fields show it: "Oct 19, 2025, 3:13 PM" in TIME_ZONE. */
export function formatDateTime(date: Date): string {
  const tz = timeZone();
  return (cached(`dt:${locale()}:${tz}`, () => new Intl.DateTimeFormat(locale(), { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' })) as Intl.DateTimeFormat).format(date);
}

/** A date (no time, no zone): "Oct 19, 2025". */
export function formatDate(value: Date | string): string {
  const d = value instanceof Date ? value : new Date(`${String(value).slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return String(value);
  return (cached(`d:${locale()}`, () => new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', dateStyle: 'medium' })) as Intl.DateTimeFormat).format(d);
}

/**
 * A number for LANGUAGE_CODE, decimals with their scale ("94.90"; "94,90" in 'fr'); no thousand separator, as Django's
 * default USE_THOUSAND_SEPARATOR. Values are formatted from their decimal string, so no digit is lost to floats.
 */
export function formatNumber(value: unknown, scale?: number): string {
  const s = String(value);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(typeof value === 'number' && !Number.isInteger(value) && /e/i.test(s) ? value.toFixed(scale ?? 6) : s);
  if (!m) return s;
  const fraction = scale === undefined ? m[3] ?? '' : (m[3] ?? '').padEnd(scale, '0').slice(0, Math.max(scale, (m[3] ?? '').replace(/0+$/, '').length));
  const sep = (cached(`sep:${locale()}`, () => new Intl.NumberFormat(locale())) as Intl.NumberFormat).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  return `${m[1]}${m[2]}${fraction ? sep + fraction : ''}`;
}

/**
 * The calendar day an instant falls on in TIME_ZONE.
 * @example localDay(new Date('2026-12-04T23:30:00Z')) // { y: 2026, mo: 12, d: 5 } with TIME_ZONE 'Asia/Tokyo'
 */
export function localDay(date: Date): { y: number; mo: number; d: number } {
  const w = wallClock(date, timeZone());
  return { y: w.y, mo: w.mo, d: w.d };
}

/**
 * The instant a calendar day starts in TIME_ZONE (month and day may overflow: month 13 is January of the next year).
 * @example localMidnight(2026, 12, 5) // 2026-12-04T15:00:00Z with TIME_ZONE 'Asia/Tokyo'
 */
export function localMidnight(y: number, mo: number, d: number): Date {
  const day = new Date(Date.UTC(y, mo - 1, d));
  return fromLocalInput(`${pad(day.getUTCFullYear(), 4)}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`, '00:00');
}

/** A calendar date in LANGUAGE_CODE's words: `{ month: 'long', year: 'numeric' }` → "November 2026". */
export function formatCalendar(y: number, mo: number, d: number, options: Intl.DateTimeFormatOptions): string {
  const key = `cal:${locale()}:${JSON.stringify(options)}`;
  return (cached(key, () => new Intl.DateTimeFormat(locale(), { ...options, timeZone: 'UTC' })) as Intl.DateTimeFormat).format(new Date(Date.UTC(y, mo - 1, d)));
}
