/** @jsxImportSource hono/jsx */

/**
 * Charts as SVG rendered with the page (no script, no chart library, nothing from a CDN). Each is
 * an image to assistive technology (`role="img"`, named by its <title> and described by its <desc>,
 * which says what the chart shows in words); the page puts a table with the same numbers beneath
 * it. Colours come from the stylesheet's classes (`.chart .bar` …), so they follow the light and
 * dark palettes; no style attributes (the CSP allows none). The viewBox scales to the width.
 */

export interface ChartBar {
  label: string;
  value: number;
  /** The value as people read it ("12", "€40.00", "45 %"). */
  valueText: string;
  /** `alt` draws it in the second colour (the pipeline's "still to pay"). */
  tone?: 'alt';
}

/** 1, 2 or 5 times a power of ten, at least `value` (at least 1). */
export function niceCeiling(value: number): number {
  if (!(value > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * power >= value) return m * power;
  return 10 * power;
}

/** Tick values from 0 to `max` (a nice ceiling) in 2–5 even steps. */
export function ticks(max: number): number[] {
  const steps = [5, 4, 2].find((s) => Number.isInteger(max / s) && max / s >= 1) ?? 1;
  return Array.from({ length: steps + 1 }, (_, i) => (max / steps) * i);
}

const W = 400;
const round = (n: number) => Math.round(n * 10) / 10;

function Frame(props: {
  id: string;
  title: string;
  desc: string;
  height: number;
  children?: unknown;
}) {
  return (
    <svg
      class="chart-svg"
      viewBox={`0 0 ${W} ${props.height}`}
      width="100%"
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.desc}</desc>
      {props.children}
    </svg>
  );
}

/**
 * Vertical bars over a category axis (days, lead-time buckets): a y axis from 0 with gridlines,
 * at most as many x labels as fit (every k-th), values over the bars when there are few.
 */
export function ColumnChart(props: {
  id: string;
  title: string;
  desc: string;
  bars: readonly ChartBar[];
  tick?: (value: number) => string;
  /** Room one x label needs, in viewBox units. */ labelWidth?: number;
}) {
  const { bars } = props;
  const left = 34;
  const right = 6;
  const top = 20;
  const plotW = W - left - right;
  const slot = plotW / Math.max(1, bars.length);
  const max = niceCeiling(Math.max(0, ...bars.map((b) => b.value)));
  const labelWidth = props.labelWidth ?? 60;
  // Few labels that do not fit side by side take two lines (every other one lower); many are thinned out.
  const stagger = bars.length <= 14 && slot < labelWidth && slot * 2 >= labelWidth;
  const labelEvery = stagger
    ? 1
    : Math.max(1, Math.ceil(bars.length / Math.max(1, Math.floor(plotW / labelWidth))));
  const bottom = stagger ? 48 : 30;
  const H = 200 + bottom;
  const plotH = H - top - bottom;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const barW = Math.max(1, slot * (bars.length > 40 ? 0.9 : 0.7));
  const showValues = bars.length <= 14;
  const tick = props.tick ?? ((v: number) => String(v));
  return (
    <Frame id={props.id} title={props.title} desc={props.desc} height={H}>
      <g class="grid">
        {ticks(max).map((t) => (
          <>
            <line x1={left} x2={W - right} y1={round(y(t))} y2={round(y(t))} />
            <text class="tick" x={left - 6} y={round(y(t) + 4)} text-anchor="end">
              {tick(t)}
            </text>
          </>
        ))}
      </g>
      <g>
        {bars.map((b, i) => {
          const x = left + i * slot + (slot - barW) / 2;
          const h = (b.value / max) * plotH;
          return (
            <>
              {b.value > 0 ? (
                <rect
                  class={b.tone === 'alt' ? 'bar alt' : 'bar'}
                  x={round(x)}
                  y={round(y(b.value))}
                  width={round(barW)}
                  height={round(Math.max(h, 1))}
                />
              ) : null}
              {showValues ? (
                <text
                  class="value"
                  x={round(x + barW / 2)}
                  y={round(y(b.value) - 5)}
                  text-anchor="middle"
                >
                  {b.valueText}
                </text>
              ) : null}
              {i % labelEvery === 0 ? (
                <text
                  class="label"
                  x={round(x + barW / 2)}
                  y={H - bottom + 19 + (stagger && i % 2 ? 18 : 0)}
                  text-anchor="middle"
                >
                  {b.label}
                </text>
              ) : null}
            </>
          );
        })}
      </g>
      <line class="axis" x1={left} x2={W - right} y1={top + plotH} y2={top + plotH} />
    </Frame>
  );
}

/**
 * Horizontal bars, one row per item (masters, pipeline parts): the label above its bar, the value
 * after it, so long names fit a phone. `scaleMax` fixes the scale (load: at least 100 %), and
 * `mark` draws a dashed line at a value (the 100 % of a full day) with its label.
 */
export function BarRows(props: {
  id: string;
  title: string;
  desc: string;
  bars: readonly ChartBar[];
  scaleMax?: number;
  mark?: { value: number; label: string };
}) {
  const { bars } = props;
  const row = 50;
  const top = props.mark ? 20 : 4;
  const valueRoom = 96;
  const plotW = W - valueRoom;
  const max = Math.max(props.scaleMax ?? 0, ...bars.map((b) => b.value)) || 1;
  const H = top + bars.length * row + 4;
  const x = (v: number) => (v / max) * plotW;
  return (
    <Frame id={props.id} title={props.title} desc={props.desc} height={H}>
      {props.mark ? (
        <g class="mark">
          <line
            x1={round(x(props.mark.value))}
            x2={round(x(props.mark.value))}
            y1={top - 4}
            y2={H - 2}
          />
          <text class="tick" x={round(x(props.mark.value))} y={13} text-anchor="middle">
            {props.mark.label}
          </text>
        </g>
      ) : null}
      {bars.map((b, i) => {
        const y = top + i * row;
        const w = x(b.value);
        return (
          <g>
            <text class="label" x={0} y={y + 16}>
              {b.label}
            </text>
            <rect class="track" x={0} y={y + 24} width={plotW} height={18} />
            {b.value > 0 ? (
              <rect
                class={b.tone === 'alt' ? 'bar alt' : 'bar'}
                x={0}
                y={y + 24}
                width={round(Math.max(w, 1.5))}
                height={18}
              />
            ) : null}
            <text class="value" x={round(Math.min(w, plotW) + 6)} y={y + 38}>
              {b.valueText}
            </text>
          </g>
        );
      })}
    </Frame>
  );
}
