// Dates, numbers and money for the chosen locale, always through Intl.
import { UNREAD_COUNT_CAP } from '../ipc/bindings/constants';

/** Locales to hand Intl: Tatar falls back to Russian where the runtime lacks Tatar data. */
export function intlLocales(locale: string): string[] {
  return locale === 'tt' ? ['tt', 'ru'] : [locale];
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

/** One formatter per locale and options, made on first use (building one is slow). */
function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let f = cache.get(key) as F | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(intlLocales(locale), options));
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(intlLocales(locale), options));
}

/** A local calendar day as `YYYY-MM-DD`, to group messages under day separators. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A day separator's label: "24 ноября 2026 г." (weekday added for readability). */
export function formatDay(locale: string, iso: string): string {
  return dateFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));
}

/** A message's time of day: "14:05". */
export function formatTime(locale: string, iso: string): string {
  return dateFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** A short date and time, for search results and the chat list. */
export function formatDateTime(locale: string, iso: string, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' };
  return dateFormat(locale, timeZone ? { ...options, timeZone } : options).format(new Date(iso));
}

/** A date without time: "1 марта 2015 г.". */
export function formatDate(locale: string, iso: string): string {
  return dateFormat(locale, { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));
}

/** The chat list's "when": the time for today, else a short date. */
export function formatWhen(locale: string, iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (d.toDateString() === now.toDateString()) return formatTime(locale, iso);
  return dateFormat(locale, { day: 'numeric', month: 'short' }).format(d);
}

/** A plain number with the locale's grouping: "100 000". */
export function formatNumber(locale: string, n: number, maxFraction = 0): string {
  return numberFormat(locale, { maximumFractionDigits: maxFraction }).format(n);
}

/** An unread count for a badge: "999+" once the count reached the cap the cache counts to. */
export function formatUnread(locale: string, n: number): string {
  return n >= UNREAD_COUNT_CAP ? `${formatNumber(locale, UNREAD_COUNT_CAP - 1)}+` : formatNumber(locale, n);
}

/** Money held as integer kopecks, shown in roubles: "1 234,50 ₽". Never a float in storage. */
export function formatMoney(locale: string, kopecks: number): string {
  return numberFormat(locale, { style: 'currency', currency: 'RUB' }).format(kopecks / 100);
}

/** An area held in hundredths of m²: "5 234,7". */
export function formatArea(locale: string, hundredths: number): string {
  return numberFormat(locale, { maximumFractionDigits: 2 }).format(hundredths / 100);
}

/** A billing period `YYYY-MM` as its month and year: "октябрь 2026 г."; `short`: "окт. 2026". */
export function formatPeriod(locale: string, period: string, short = false): string {
  const [y, m] = period.split('-').map(Number);
  const d = new Date(Date.UTC(y, (m || 1) - 1, 15));
  return dateFormat(locale, { month: short ? 'short' : 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** Kopecks as roubles with exactly two decimals and no sign of the currency, for the columns
 *  of a bill whose heading names it: "1 234,50". */
export function formatRoubles(locale: string, kopecks: number): string {
  return numberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(kopecks / 100);
}
