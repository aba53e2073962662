import './style.css';
import { ConsoleApi, UnauthorizedError } from './api';
import { timelineChart } from './charts';
import { clock, h, millis, percent } from './dom';
import { failedDocumentsView, figuresView, questionsView, storesView, traceView } from './views';

const REFRESH_MS = 3_000;
const api = new ConsoleApi();
const app = document.getElementById('app') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
let timer: number | undefined;

function signInForm(message = ''): void {
  window.clearInterval(timer);
  const input = h('input', { type: 'password', name: 'key', placeholder: 'admin API key', autocomplete: 'off', 'data-testid': 'key' }) as HTMLInputElement;
  const form = h('form', { class: 'signin' }, h('label', {}, 'Administrator API key (kept in this tab only) ', input), h('button', { type: 'submit' }, 'Open console'), message ? h('p', { class: 'bad' }, message) : null);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api.key = input.value.trim();
    void start();
  });
  app.replaceChildren(form);
  status.textContent = 'Not signed in';
}

function layout(): { live: HTMLElement; charts: HTMLElement; lists: HTMLElement; traceResult: HTMLElement } {
  const live = h('div', { id: 'live' });
  const charts = h('section', { class: 'charts', 'aria-label': 'Charts from the ledger' });
  const lists = h('div', { class: 'lists' });
  const traceInput = h('input', { type: 'search', placeholder: 'a question, or a request id', 'data-testid': 'trace-query' }) as HTMLInputElement;
  const traceResult = h('div', { id: 'trace-result' });
  const traceForm = h('form', { class: 'trace-form' }, traceInput, h('button', { type: 'submit', 'data-testid': 'trace-submit' }, 'Show trace'));
  traceForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void showTrace(traceInput.value, traceResult);
  });
  lists.addEventListener('click', (event) => {
    const target = (event.target as HTMLElement).closest('[data-request-id]');
    if (!target) return;
    event.preventDefault();
    traceInput.value = target.getAttribute('data-request-id') ?? '';
    void showTrace(traceInput.value, traceResult);
  });
  app.replaceChildren(live, charts, h('section', { class: 'trace', 'aria-label': 'Query trace' }, h('h2', {}, 'Query trace'), traceForm, traceResult), lists);
  return { live, charts, lists, traceResult };
}

async function showTrace(input: string, target: HTMLElement): Promise<void> {
  if (!input.trim()) return;
  target.replaceChildren(h('p', {}, 'Loading…'));
  try {
    target.replaceChildren(traceView(await api.trace(input)));
  } catch (error) {
    target.replaceChildren(h('p', { class: 'bad' }, error instanceof Error ? error.message : String(error)));
  }
}

async function refresh(parts: ReturnType<typeof layout>): Promise<void> {
  const [overview, timeline, questions, failed] = await Promise.all([api.overview(), api.timeline(), api.questions(), api.failedDocuments()]);
  parts.live.replaceChildren(figuresView(overview), storesView(overview));
  parts.charts.replaceChildren(
    timelineChart('Requests', timeline.buckets, (b) => b.requests, 'bars', (v) => v.toFixed(0)),
    timelineChart('p95 latency', timeline.buckets, (b) => b.p95Ms, 'line', (v) => millis(v)),
    timelineChart('Cache hit ratio', timeline.buckets, (b) => b.cacheHitRatio, 'line', (v) => percent(v)),
    timelineChart('Degraded share', timeline.buckets, (b) => b.degradedShare, 'line', (v) => percent(v)),
  );
  parts.lists.replaceChildren(questionsView(questions), failedDocumentsView(failed));
  status.textContent = `Updated ${clock(overview.generatedAt)} · refreshes every ${REFRESH_MS / 1000} s`;
}

async function start(): Promise<void> {
  if (!api.key) return signInForm();
  const parts = layout();
  try {
    await refresh(parts);
  } catch (error) {
    api.key = null;
    return signInForm(error instanceof UnauthorizedError ? error.message : `The gateway could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  timer = window.setInterval(() => {
    refresh(parts).catch((error: unknown) => {
      status.textContent = `Refresh failed: ${error instanceof Error ? error.message : String(error)}`;
    });
  }, REFRESH_MS);
}

void start();
