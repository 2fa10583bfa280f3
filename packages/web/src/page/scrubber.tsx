import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDuration } from './format.js';

export interface ScrubberProps {
  start: number;
  end: number;
  /** The time shown, or undefined for the end. */
  time: number | undefined;
  eventCount: number;
  onScrub(time: number | undefined): void;
}

/** Moves a finished run's view through time: a slider, and a play button that replays it. */
export function Scrubber({ start, end, time, eventCount, onScrub }: ScrubberProps) {
  const [playing, setPlaying] = useState(false);
  const shown = time ?? end;
  const latest = useRef(shown);
  latest.current = shown;
  useEffect(() => {
    if (!playing) return;
    // The whole run in about 10 s, whatever its length.
    const step = Math.max(1, (end - start) / 200);
    let at = latest.current >= end ? start : latest.current;
    const timer = setInterval(() => {
      at = Math.min(end, at + step);
      onScrub(at >= end ? undefined : at);
      if (at >= end) setPlaying(false);
    }, 50);
    return () => clearInterval(timer);
  }, [playing]);
  return (
    <div class="scrubber">
      <button
        type="button"
        onClick={() => setPlaying(!playing)}
        aria-label={playing ? 'Pause replay' : 'Replay the run'}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      <input
        type="range"
        aria-label="Time in the run"
        data-testid="scrubber"
        min={0}
        max={Math.max(1, end - start)}
        step={1}
        value={shown - start}
        onInput={(event) => {
          const offset = Number((event.currentTarget as HTMLInputElement).value);
          onScrub(start + offset >= end ? undefined : start + offset);
        }}
      />
      <span class="scrub-time" data-testid="scrub-time">
        {formatDuration(shown - start)} / {formatDuration(end - start)} · {eventCount} events
      </span>
    </div>
  );
}
