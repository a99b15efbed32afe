/**
 * Server-rendered SVG bar charts for the reports page. No script and no inline style (the CSP
 * forbids both): geometry is computed here, colours are presentation attributes.
 *
 * Readable in both directions: in a right-to-left page the chart is mirrored (labels on the right,
 * bars growing leftwards, the hour axis running right to left) and its text runs right to left;
 * every figure is written with the reader's digits by the caller. Accessible: `role="img"` named
 * by the chart's `<title>` and described by its `<desc>`; the page puts a table with the same
 * figures next to each chart.
 */
import type { RequestState } from "@/routes/_define.ts";

export interface Bar {
  label: string;
  value: number;
  /** The value as the reader reads it ("12", "٦٢٫٥٪"). */
  display: string;
}

const WIDTH = 360;
const BAR = "#be123c"; // rose-700
const TRACK = "#f5f5f4"; // stone-100
const INK = "#1c1917"; // stone-900
const MUTED = "#57534e"; // stone-600

function Frame(
  { id, title, desc, height, state, children }: {
    id: string;
    title: string;
    desc: string;
    height: number;
    state: RequestState;
    children: preact.ComponentChildren;
  },
) {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      class="block h-auto w-full max-w-xl"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      direction={state.dir}
      font-family="'Noto Sans Arabic', 'Noto Sans', system-ui, Tahoma, Arial, sans-serif"
      data-chart={id}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {children}
    </svg>
  );
}

/**
 * One bar per row: the label above its bar, the value at the bar's end. `max` is the value of a
 * full-width bar (default: the largest value).
 */
export function HorizontalBarChart(
  { id, title, desc, bars, max, state }: {
    id: string;
    title: string;
    desc: string;
    bars: Bar[];
    max?: number;
    state: RequestState;
  },
) {
  const rtl = state.dir === "rtl";
  const row = 40;
  const top = 4;
  const valueRoom = 72;
  const track = WIDTH - valueRoom;
  const scale = max ?? Math.max(1, ...bars.map((b) => b.value));
  // x of a point `x` from the start edge (mirrored in RTL).
  const at = (x: number) => (rtl ? WIDTH - x : x);
  return (
    <Frame id={id} title={title} desc={desc} height={top + bars.length * row} state={state}>
      {bars.map((b, i) => {
        const y = top + i * row;
        const len = b.value <= 0 ? 0 : Math.max(2, Math.round((track * b.value) / scale));
        return (
          <g>
            <text x={at(0)} y={y + 13} font-size="13" fill={INK} text-anchor="start">
              {b.label}
            </text>
            <rect x={rtl ? WIDTH - track : 0} y={y + 19} width={track} height={14} fill={TRACK} />
            <rect
              x={rtl ? WIDTH - len : 0}
              y={y + 19}
              width={len}
              height={14}
              rx={2}
              fill={BAR}
            />
            <text
              x={at(len + 6)}
              y={y + 31}
              font-size="12"
              fill={MUTED}
              text-anchor="start"
            >
              {b.display}
            </text>
          </g>
        );
      })}
    </Frame>
  );
}

/**
 * Vertical bars along an axis (the hours of the day): the axis runs from the start edge (left in
 * English, right in Arabic), each column labelled under it and its value above it.
 */
export function ColumnChart(
  { id, title, desc, columns, state }: {
    id: string;
    title: string;
    desc: string;
    /** `label` sits under the column (short: "10"). */
    columns: Bar[];
    state: RequestState;
  },
) {
  const rtl = state.dir === "rtl";
  const height = 180;
  const top = 18;
  const bottom = 22;
  const plot = height - top - bottom;
  const n = Math.max(columns.length, 1);
  const slot = WIDTH / n;
  const width = Math.max(2, Math.min(28, slot * 0.7));
  const scale = Math.max(1, ...columns.map((c) => c.value));
  return (
    <Frame id={id} title={title} desc={desc} height={height} state={state}>
      <line x1={0} y1={top + plot} x2={WIDTH} y2={top + plot} stroke="#d6d3d1" />
      {columns.map((c, i) => {
        const center = rtl ? WIDTH - (i + 0.5) * slot : (i + 0.5) * slot;
        const h = c.value <= 0 ? 0 : Math.max(2, Math.round((plot * c.value) / scale));
        return (
          <g>
            <rect
              x={center - width / 2}
              y={top + plot - h}
              width={width}
              height={h}
              rx={2}
              fill={BAR}
            />
            {c.value > 0 && (
              <text
                x={center}
                y={top + plot - h - 4}
                font-size="11"
                fill={MUTED}
                text-anchor="middle"
              >
                {c.display}
              </text>
            )}
            <text x={center} y={height - 6} font-size="11" fill={INK} text-anchor="middle">
              {c.label}
            </text>
          </g>
        );
      })}
    </Frame>
  );
}
