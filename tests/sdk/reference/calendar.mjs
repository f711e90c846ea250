// Calendar arithmetic in a project's time zone, for the axes and labels the reference computes
// itself: local dates and hours of an instant, the instant of a local wall-clock time (across
// daylight-saving changes), and ISO 8601 with the zone's offset as HogQL shows date-times.

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map();
function formatter(timezone) {
  if (!formatters.has(timezone)) {
    formatters.set(timezone, new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    }));
  }
  return formatters.get(timezone);
}

// {year, month, day, hour, minute, second} of the instant `ms` on the zone's wall clock.
export function localParts(ms, timezone) {
  const parts = {};
  for (const { type, value } of formatter(timezone).formatToParts(new Date(ms))) {
    if (type !== 'literal') parts[type] = Number(value);
  }
  return parts;
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

// The wall-clock offset of the zone at `ms`, in milliseconds (UTC + offset = local).
export function offsetMs(ms, timezone) {
  const p = localParts(ms, timezone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

// The instant of a local wall-clock time 'YYYY-MM-DD[ HH:MM:SS]' (the earlier one when the
// clock is set back).
export function zonedTimeToMs(text, timezone) {
  const [date, time = '00:00:00'] = text.split(' ');
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, s] = time.split(':').map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // Two passes settle the offset; prefer the earlier instant on a repeated hour.
  let ms = wall - offsetMs(wall, timezone);
  ms = wall - offsetMs(ms, timezone);
  const earlier = ms - HOUR_MS;
  if (earlier + offsetMs(earlier, timezone) === wall) return earlier;
  return ms;
}

export function localDate(ms, timezone) {
  const p = localParts(ms, timezone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

export function localHourLabel(ms, timezone) {
  const p = localParts(ms, timezone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:00:00`;
}

// 'YYYY-MM-DD' plus n days.
export function addDays(date, n) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

// Day of week of a date, 0 = Sunday.
export function weekday(date) {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

// The first day of the week holding `date`; weekStartDay 0 = Sunday, 1 = Monday.
export function weekStart(date, weekStartDay) {
  return addDays(date, -((weekday(date) - weekStartDay + 7) % 7));
}

export function monthStart(date) {
  return `${date.slice(0, 7)}-01`;
}

// Every date from `from` to `to` inclusive, stepping by `step` days.
export function dates(from, to, step = 1) {
  const out = [];
  for (let d = from; d <= to; d = addDays(d, step)) out.push(d);
  return out;
}

export function monthsBetween(from, to) {
  const out = [];
  let [y, m] = from.split('-').map(Number);
  for (;;) {
    const d = `${y}-${pad(m)}-01`;
    if (d > to) return out;
    out.push(d);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
}

// ISO 8601 with the zone's offset, as HogQL shows a DateTime64 in the project's zone:
// `2026-10-25T00:00:00+02:00`, `…Z` in UTC.
export function isoWithOffset(ms, timezone) {
  const p = localParts(ms, timezone);
  const offset = offsetMs(ms, timezone) / 60000;
  const text = `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
  if (timezone === 'UTC') return `${text}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${text}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
