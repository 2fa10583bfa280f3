import { LEGEND, STATUS_COLORS } from './status-colors.js';

/** What the colours and marks of the timeline mean. */
export function Legend() {
  return (
    <ul class="legend" aria-label="Legend">
      {LEGEND.map(({ key, label }) => (
        <li key={key}>
          <span
            class={`swatch legend-${key}`}
            style={
              key === 'trim'
                ? { background: '#cc79a7' }
                : key === 'wait'
                  ? undefined
                  : { background: STATUS_COLORS[key] }
            }
          />
          {label}
        </li>
      ))}
    </ul>
  );
}
