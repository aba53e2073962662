import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Metrics } from '@rag/platform';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { metricNamesIn } from './promql.names.ts';

const DEPLOY = resolve(import.meta.dirname, '../../deploy');

/** Every series name the services export: the Metrics registry (with prom-client's defaults), expanded as Prometheus sees them. */
async function exportedSeries(): Promise<Set<string>> {
  const metrics = await new Metrics().registry.getMetricsAsJSON();
  const names = new Set<string>(['up']);
  for (const metric of metrics) {
    names.add(metric.name);
    // prom-client types `type` as an enum but reports it as a string such as 'histogram'.
    const type = String(metric.type);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(metric.name + suffix);
  }
  return names;
}

interface GrafanaPanel {
  title: string;
  type: string;
  datasource?: { uid?: string };
  targets?: { expr?: string; refId: string }[];
  panels?: GrafanaPanel[];
}

interface GrafanaDashboard {
  uid: string;
  title: string;
  panels: GrafanaPanel[];
  templating?: { list: { name: string; query?: string }[] };
}

const dashboardFiles = readdirSync(join(DEPLOY, 'grafana/dashboards')).filter((file) => file.endsWith('.json'));
const dashboards = dashboardFiles.map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(DEPLOY, 'grafana/dashboards', file), 'utf8')) as GrafanaDashboard }));
const alertRules = parse(readFileSync(join(DEPLOY, 'prometheus/alerts.yml'), 'utf8')) as { groups: { name: string; rules: { alert: string; expr: string; for?: string; annotations: Record<string, string> }[] }[] };
interface ScrapeJob {
  job_name: string;
  static_configs?: { targets: string[] }[];
  dns_sd_configs?: { names: string[]; port: number }[];
}
const prometheus = parse(readFileSync(join(DEPLOY, 'prometheus/prometheus.yml'), 'utf8')) as { rule_files: string[]; scrape_configs: ScrapeJob[] };

function panelsOf(panels: readonly GrafanaPanel[]): GrafanaPanel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels ?? [])]);
}

describe('deploy/ observability files', () => {
  it('has the four dashboards: service overview, stores, answer quality, ingestion', () => {
    expect(dashboardFiles.sort()).toEqual(['answer-quality.json', 'ingestion.json', 'service-overview.json', 'stores.json']);
    expect(new Set(dashboards.map((d) => d.dashboard.uid)).size).toBe(4);
  });

  it('reads only metrics the services export, in every panel query and dashboard variable', async () => {
    const exported = await exportedSeries();
    for (const { file, dashboard } of dashboards) {
      for (const panel of panelsOf(dashboard.panels)) {
        const exprs = (panel.targets ?? []).map((target) => target.expr ?? '');
        expect(exprs.length, `${file} › ${panel.title} has no query`).toBeGreaterThan(0);
        for (const expr of exprs) {
          const names = metricNamesIn(expr);
          expect(names.length, `${file} › ${panel.title}: "${expr}" names no metric`).toBeGreaterThan(0);
          for (const name of names) expect(exported.has(name), `${file} › ${panel.title}: ${name} is not exported`).toBe(true);
        }
      }
      for (const variable of dashboard.templating?.list ?? []) {
        const metric = /label_values\(\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*,/.exec(variable.query ?? '')?.[1];
        if (metric) expect(exported.has(metric), `${file} variable ${variable.name}: ${metric} is not exported`).toBe(true);
      }
    }
  });

  it('alerts on a service or store down, an open breaker, outbox lag, a cache hit collapse and p99 over budget, on exported metrics only', async () => {
    const exported = await exportedSeries();
    const rules = alertRules.groups.flatMap((group) => group.rules);
    expect(rules.map((rule) => rule.alert)).toEqual(expect.arrayContaining(['RagServiceDown', 'RagStoreDown', 'RagBreakerOpen', 'RagOutboxLag', 'RagCacheHitRatioCollapse', 'RagP99OverBudget']));
    for (const rule of rules) {
      expect(rule.annotations.summary, `${rule.alert} summary`).toBeTruthy();
      const names = metricNamesIn(rule.expr);
      expect(names.length, `${rule.alert} names no metric`).toBeGreaterThan(0);
      for (const name of names) expect(exported.has(name), `${rule.alert}: ${name} is not exported`).toBe(true);
    }
  });

  it('scrapes the gateway, the ingest API and the worker, and loads the alert rules', () => {
    expect(prometheus.rule_files).toEqual(['alerts.yml']);
    const targets = prometheus.scrape_configs.flatMap((job) => [...(job.static_configs ?? []).flatMap((c) => c.targets), ...(job.dns_sd_configs ?? []).flatMap((c) => c.names.map((name) => `${name}:${c.port}`))]);
    expect(targets.sort()).toEqual(['gateway:8080', 'ingest:8081', 'worker:9464']);
  });

  it('finds metric names in PromQL the way Prometheus would', () => {
    expect(metricNamesIn('histogram_quantile(0.99, sum by (le, route) (rate(rag_http_request_duration_seconds_bucket{route=~"/v1/search|/v1/chat"}[5m]))) > 2')).toEqual(['rag_http_request_duration_seconds_bucket']);
    expect(metricNamesIn('sum(rate(a_total{x="y"}[5m] offset 1d)) / sum(rate(b_total[5m])) and up == 0')).toEqual(['a_total', 'b_total', 'up']);
    expect(metricNamesIn('sum without (instance) (c_total)')).toEqual(['c_total']);
  });
});
