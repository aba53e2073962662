import type { TimelineBucket } from './api';

const WIDTH = 360;
const HEIGHT = 120;
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attributes: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/**
 * One small chart over the timeline's buckets: bars for counts, a line for rates and latencies.
 * Minutes without traffic are gaps in a line, not zeros.
 */
export function timelineChart(title: string, buckets: readonly TimelineBucket[], value: (b: TimelineBucket) => number | null, style: 'bars' | 'line', format: (v: number) => string): HTMLElement {
  const values = buckets.map(value);
  const max = Math.max(1e-9, ...values.filter((v): v is number => v !== null));
  const x = (i: number) => (i / Math.max(1, buckets.length - 1)) * (WIDTH - 8) + 4;
  const y = (v: number) => HEIGHT - 14 - (v / max) * (HEIGHT - 28);
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title });
  chart.append(svg('line', { x1: 0, x2: WIDTH, y1: HEIGHT - 14, y2: HEIGHT - 14, class: 'axis' }));
  if (style === 'bars') {
    const barWidth = (WIDTH - 8) / buckets.length - 1;
    values.forEach((v, i) => {
      if (v) chart.append(svg('rect', { x: x(i) - barWidth / 2, y: y(v), width: barWidth, height: HEIGHT - 14 - y(v), class: 'bar' }));
    });
  } else {
    let path = '';
    values.forEach((v, i) => {
      if (v === null) return;
      path += `${path === '' || values[i - 1] === null ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
      chart.append(svg('circle', { cx: x(i), cy: y(v), r: 1.8, class: 'dot' }));
    });
    if (path) chart.append(svg('path', { d: path, class: 'line' }));
  }
  const label = svg('text', { x: 4, y: 12, class: 'chart-max' });
  label.textContent = `max ${format(max)}`;
  chart.append(label);
  const figure = document.createElement('figure');
  const caption = document.createElement('figcaption');
  caption.textContent = `${title} · last hour, per minute`;
  figure.append(caption, chart);
  return figure;
}
