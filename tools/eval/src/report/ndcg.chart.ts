import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { EvalReport } from './eval.report.js';

/** A bar chart of nDCG@10 per mode, as a Vega-Lite spec. */
export function ndcgChartSpec(report: EvalReport): TopLevelSpec {
  const scope = report.dataset.quick ? ', quick subset' : '';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${report.dataset.name}: nDCG@10 by retrieval mode`, subtitle: `${report.profile} profile, ${report.embedder} embedder${scope}, ${report.dataset.queries} queries, ${report.dataset.corpus} documents` },
    width: 120 + 60 * (report.modes.length + report.peers.length),
    height: 240,
    background: 'white',
    data: { values: [...report.modes.map((mode) => ({ mode: mode.mode, ndcg: mode.metrics.ndcg10 })), ...report.peers.map((peer) => ({ mode: peer.peer, ndcg: peer.metrics.ndcg10 }))] },
    encoding: {
      x: { field: 'mode', type: 'nominal', sort: null, title: 'mode or peer', axis: { labelAngle: report.peers.length > 0 ? -30 : 0 } },
      y: { field: 'ndcg', type: 'quantitative', title: 'nDCG@10', scale: { domain: [0, 1] } },
    },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' } },
      { mark: { type: 'text', dy: -8 }, encoding: { text: { field: 'ndcg', type: 'quantitative', format: '.3f' } } },
    ],
  };
}

/** Renders the chart to SVG with Vega (no browser), then to PNG with resvg at twice the size. */
export async function renderNdcgChart(report: EvalReport): Promise<Buffer> {
  const view = new View(parse(compile(ndcgChartSpec(report)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' } }).render().asPng();
  return png;
}
