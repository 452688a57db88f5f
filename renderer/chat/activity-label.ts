/**
 * "14:05" for a conversation active today, "Mar 3" before: formatted once per minute (today) or per day
 * and cached, because Intl formatting a thousand dates made the conversation list slow to appear.
 */
const formats = new Map<string, { time: Intl.DateTimeFormat; date: Intl.DateTimeFormat }>();
const labels = new Map<string, string>();
const MAX_LABELS = 5000;
const DAY_MS = 86_400_000;

/** Midnight today, local time, in ms. */
export function startOfToday(now = new Date()): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
}

function formatsFor(language: string): { time: Intl.DateTimeFormat; date: Intl.DateTimeFormat } {
  let f = formats.get(language);
  if (!f) {
    f = {
      time: new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit' }),
      date: new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric' }),
    };
    formats.set(language, f);
  }
  return f;
}

/**
 * Builds the formatters ahead of time (the first one loads the locale's calendar data, which takes a
 * while): call it while the conversation list is on its way, so the list renders without that wait.
 */
export function prepareActivityLabels(language: string): void {
  formatsFor(language).date.format(0);
}

export function activityLabel(iso: string, language: string, todayStart: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const today = ms >= todayStart && ms < todayStart + DAY_MS;
  // Days counted from today's midnight keep the local calendar day without building a Date per row.
  const bucket = today ? `t${Math.floor(ms / 60_000)}` : `d${Math.floor((ms - todayStart) / DAY_MS)}@${todayStart}`;
  const key = `${language}|${bucket}`;
  let label = labels.get(key);
  if (label === undefined) {
    const f = formatsFor(language);
    label = today ? f.time.format(ms) : f.date.format(ms);
    if (labels.size >= MAX_LABELS) labels.clear();
    labels.set(key, label);
  }
  return label;
}
