import type { FailedDocument, Overview, Questions, TraceView } from './api';
import { clock, h, millis, percent } from './dom';

export function figuresView(o: Overview): HTMLElement {
  const tile = (id: string, label: string, value: string, warn = false) =>
    h('div', { class: `tile${warn ? ' warn' : ''}`, 'data-testid': id }, h('span', { class: 'value' }, value), h('span', { class: 'label' }, label));
  return h(
    'section',
    { class: 'tiles', 'aria-label': 'Live figures' },
    tile('qps', 'queries per second (last minute)', o.qps.toFixed(2)),
    tile('requests', `requests (last ${o.windowSeconds / 60} min)`, String(o.requests)),
    tile('p50', 'p50 latency', millis(o.latencyMs.p50)),
    tile('p95', 'p95 latency', millis(o.latencyMs.p95)),
    tile('p99', 'p99 latency', millis(o.latencyMs.p99)),
    tile('cache-hit-ratio', 'cache hit ratio', percent(o.cacheHitRatio)),
    tile('degraded-share', 'degraded answers', percent(o.degradedShare), (o.degradedShare ?? 0) > 0),
    tile('no-good-hit-share', 'no good hit', percent(o.noGoodHitShare), (o.noGoodHitShare ?? 0) > 0.2),
    tile('outbox', 'outbox waiting / dead', `${o.outbox.pending} / ${o.outbox.dead}`, o.outbox.dead > 0),
  );
}

export function storesView(o: Overview): HTMLElement {
  return h(
    'section',
    { 'aria-label': 'Stores' },
    h('h2', {}, 'Stores'),
    h(
      'table',
      { 'data-testid': 'stores' },
      h('thead', {}, h('tr', {}, h('th', {}, 'store'), h('th', {}, 'adapter'), h('th', {}, 'health'), h('th', {}, 'health check'), h('th', {}, 'mean search time'))),
      h(
        'tbody',
        {},
        o.stores.map((s) =>
          h('tr', { 'data-store': s.name }, h('td', {}, s.name), h('td', {}, s.adapter), h('td', { class: s.ok ? 'ok' : 'bad' }, s.ok ? 'up' : `down: ${s.detail ?? ''}`), h('td', {}, millis(s.checkMs)), h('td', {}, millis(s.meanSearchMs))),
        ),
      ),
    ),
  );
}

export function questionsView(q: Questions): HTMLElement {
  return h(
    'section',
    { 'aria-label': 'Questions to look at' },
    h('h2', {}, 'Questions with no good hit (last day)'),
    q.noGoodHit.length === 0
      ? h('p', { class: 'empty' }, 'None.')
      : h('ul', { 'data-testid': 'no-good-hit' }, q.noGoodHit.map((r) => h('li', {}, h('a', { href: '#', 'data-request-id': r.requestId }, r.query), ` · ${r.kind}, ${r.hitCount} hits${r.verified === false ? ', failed verification' : ''}, ${clock(r.createdAt)}`))),
    h('h2', {}, 'Negative feedback'),
    q.negativeFeedback.length === 0
      ? h('p', { class: 'empty' }, 'None.')
      : h('ul', { 'data-testid': 'negative-feedback' }, q.negativeFeedback.map((f) => h('li', {}, h('a', { href: '#', 'data-request-id': f.requestId }, f.query ?? f.requestId), f.comment ? ` · “${f.comment}”` : '', ` · ${f.subject}, ${clock(f.createdAt)}`))),
  );
}

export function failedDocumentsView(docs: readonly FailedDocument[]): HTMLElement {
  return h(
    'section',
    { 'aria-label': 'Failed documents' },
    h('h2', {}, 'Recent failed documents'),
    docs.length === 0 ? h('p', { class: 'empty' }, 'None.') : h('ul', { 'data-testid': 'failed-documents' }, docs.map((d) => h('li', {}, h('strong', {}, d.title), ` (${d.externalId} v${d.version}) · ${d.reason}`))),
  );
}

/** The thinking pad: stages as a waterfall, each store's part, and where each store ranked each fused hit. */
export function traceView(view: TraceView): HTMLElement {
  const { trace } = view;
  const stages = trace.stages.filter((s) => s.stage !== 'total');
  const total = trace.stages.find((s) => s.stage === 'total')?.ms ?? stages.reduce((sum, s) => sum + s.ms, 0);
  let offset = 0;
  const waterfall = stages.map((s) => {
    const left = total > 0 ? (offset / total) * 100 : 0;
    const width = total > 0 ? Math.max(0.5, (s.ms / total) * 100) : 0;
    offset += s.ms;
    return h('div', { class: 'stage' }, h('span', { class: 'stage-name' }, s.stage), h('span', { class: 'stage-track' }, h('span', { class: 'stage-bar', style: `margin-left:${left}%;width:${width}%` })), h('span', {}, millis(s.ms)));
  });
  const stores = [...new Set(trace.fused.flatMap((f) => Object.keys(f.ranks)))].sort();
  return h(
    'div',
    { 'data-testid': 'trace' },
    h('p', {}, h('strong', {}, view.query), ` · request ${view.requestId} · cache ${trace.cache} · total ${millis(total)}${view.degraded.length > 0 ? ` · degraded: ${view.degraded.join(', ')}` : ''}`),
    h('div', { class: 'waterfall', 'data-testid': 'trace-stages' }, waterfall),
    h('h3', {}, 'Stores'),
    trace.stores.length === 0
      ? h('p', { class: 'empty' }, trace.cache === 'hit' ? 'Answered from the cache: no store was asked.' : 'No store was asked.')
      : h('table', { 'data-testid': 'trace-stores' }, h('thead', {}, h('tr', {}, h('th', {}, 'store'), h('th', {}, 'outcome'), h('th', {}, 'time'), h('th', {}, 'hits'))), h('tbody', {}, trace.stores.map((s) => h('tr', {}, h('td', {}, s.store), h('td', { class: s.ok ? 'ok' : 'bad' }, s.ok ? 'ok' : (s.error ?? 'failed')), h('td', {}, millis(s.ms)), h('td', {}, String(s.hits)))))),
    h('h3', {}, 'Fused hits and each store’s rank'),
    trace.fused.length === 0
      ? h('p', { class: 'empty' }, 'No hits.')
      : h('table', { 'data-testid': 'trace-fused' }, h('thead', {}, h('tr', {}, h('th', {}, 'chunk'), h('th', {}, 'fused score'), stores.map((s) => h('th', {}, `${s} rank`)))), h('tbody', {}, trace.fused.map((f) => h('tr', {}, h('td', { class: 'mono' }, f.chunkId), h('td', {}, f.score.toFixed(4)), stores.map((s) => h('td', {}, f.ranks[s] === undefined ? '–' : String(f.ranks[s]))))))),
    trace.verification
      ? h('div', {}, h('h3', {}, `Verification: ${trace.verification.passed ? 'passed' : 'failed'}`), h('ul', {}, trace.verification.sentences.map((s) => h('li', { class: s.verdict === 'supported' ? 'ok' : 'bad' }, `${s.verdict} (${(s.support * 100).toFixed(0)} %): ${s.sentence}`))))
      : null,
    view.answer ? h('div', {}, h('h3', {}, 'Answer'), h('p', {}, view.answer)) : null,
  );
}
