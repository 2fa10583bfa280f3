const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Epoch milliseconds as local `YYYY-MM-DD HH:MM:SS`, as a run history shows when a run started. */
export function formatTime(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clockTime(ms)}`;
}

/** Epoch milliseconds as local `HH:MM:SS`, with `.mmm` when `millis` is set. */
export function clockTime(ms: number, millis = false): string {
  const date = new Date(ms);
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return millis ? `${time}.${pad(date.getMilliseconds(), 3)}` : time;
}
