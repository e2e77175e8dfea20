/**
 * A uPlot chart as a Preact component: created on mount, given new data on update, resized with
 * its box, destroyed on unmount. Colours come from the Okabe-Ito palette (readable with every
 * common colour-vision deficiency); lines also differ by dash, so colour is never the only cue.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/** Okabe-Ito colours: blue, vermillion, bluish green, orange, reddish purple, sky blue. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#E69F00', '#CC79A7', '#56B4E9'] as const;

/**
 * Least room between two time-axis ticks, CSS px. uPlot's default (50) puts 12 px labels such as
 * `10:50pm` (about 54 px wide) edge to edge or over each other; this leaves a gap after the widest.
 */
export const TIME_TICK_SPACE_PX = 80;

/** One plotted series. */
export interface Series {
  label: string;
  values: (number | null)[];
  /** Bars instead of a line. */
  bars?: boolean;
  dash?: number[];
  /** Plotted against the right-hand axis (`ChartProps.rightLabel`), for a second unit. */
  right?: boolean;
}

/** Props of `Chart`. */
export interface ChartProps {
  /** Accessible name (what the chart shows). */
  title: string;
  /** X values (epoch seconds when `time`, else bucket indexes). */
  x: number[];
  series: Series[];
  xLabel: string;
  yLabel: string;
  /** Label of the right-hand axis, for the series marked `right`. */
  rightLabel?: string;
  /** X is time. */
  time?: boolean;
  /** Tick labels for a categorical x (index -> label). */
  xTicks?: string[];
  height?: number;
}

/** The scale of the series plotted against the right-hand axis. */
const RIGHT_SCALE = 'right';

function axisColour(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--fg').trim() || '#222';
}

function gridColour(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--grid').trim() || '#ddd';
}

/** A chart with its axes, labels and legend. */
export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current!;
    const stroke = axisColour();
    const grid = { stroke: gridColour(), width: 1 };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: props.height ?? 220,
      scales: { x: { time: props.time ?? false } },
      axes: [
        {
          label: props.xLabel,
          stroke,
          grid,
          ...(props.time ? { space: TIME_TICK_SPACE_PX } : {}),
          ...(props.xTicks ? { values: (_u: uPlot, splits: number[]) => splits.map((i) => props.xTicks![Math.round(i)] ?? '') } : {}),
        },
        { label: props.yLabel, stroke, grid, size: 60 },
        ...(props.rightLabel ? [{ label: props.rightLabel, stroke, scale: RIGHT_SCALE, side: 1, grid: { show: false }, size: 60 }] : []),
      ],
      series: [
        {},
        ...props.series.map((s, i) => ({
          label: s.label,
          stroke: PALETTE[i % PALETTE.length],
          fill: s.bars ? `${PALETTE[i % PALETTE.length]}99` : undefined,
          width: 2,
          dash: s.dash,
          ...(s.right ? { scale: RIGHT_SCALE } : {}),
          ...(s.bars ? { paths: uPlot.paths.bars!({ size: [0.8, 60] }), points: { show: false } } : {}),
        })),
      ],
    };
    plot.current = new uPlot(opts, [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height: props.height ?? 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [props.series.length, props.xTicks?.join('|'), props.rightLabel]);
  useEffect(() => {
    plot.current?.setData([props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData);
  }, [props.x, props.series]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div
        ref={box}
        role="img"
        aria-label={`${props.title}: ${props.yLabel}${props.rightLabel ? ` and ${props.rightLabel}` : ''} by ${props.xLabel}`}
        data-x-axis={props.xLabel}
        data-y-axis={props.yLabel}
        data-right-axis={props.rightLabel}
      />
    </figure>
  );
}
