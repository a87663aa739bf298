import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatUsd } from '@tollgate/core';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportJson } from '../report/report-json';
import { runTollgate } from '../testing/run-tollgate';
import { seedSqliteHistory } from '../testing/seed-history';
import { temporaryDirectory } from '../testing/temporary-directory';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let directory: ReturnType<typeof temporaryDirectory>;
let report: ReportJson;
let htmlPath: string;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install the test services first (bash .ci/install-test-services)`,
    );
  directory = temporaryDirectory();
  const seeded = await seedSqliteHistory(path.join(directory.path, 'data'));
  htmlPath = path.join(directory.path, 'out', 'report.html');
  const run = await runTollgate([
    'report',
    '--json',
    '--html',
    htmlPath,
    '--by',
    'provider,model,type,user,day',
    '--store',
    `sqlite:${seeded.databasePath}`,
    '--config',
    seeded.configPath,
  ]);
  expect(run.code).toBe(0);
  expect(run.stderr).toBe(`HTML report written to ${htmlPath}\n`);
  report = JSON.parse(run.stdout);

  const profile = path.join(directory.path, 'chromium-profile');
  mkdirSync(profile);
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  page = await context.newPage();
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
});

afterAll(async () => {
  await context?.close();
  // KEEP_TEST_ARTIFACTS=1 keeps the report and its screenshot to look at.
  if (process.env.KEEP_TEST_ARTIFACTS) console.log(`report and screenshot kept in ${directory.path}/out`);
  else directory?.remove();
});

const numberAttribute = (page: Page, selector: string, name: string) =>
  page.$eval(selector, (element, attribute) => Number(element.getAttribute(attribute)), name);

describe('the HTML report in headless Chromium', () => {
  it('renders, and a screenshot of it is saved', async () => {
    const screenshot = path.join(directory.path, 'out', 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(50_000);
    expect(await page.title()).toBe('tollgate report: 2026-10-31 to 2026-11-29');
    for (const selector of [
      'svg.daily-chart',
      '#chart-provider svg',
      '#chart-model svg',
      'figure.gauge svg',
    ]) {
      const box = await page.locator(selector).first().boundingBox();
      expect(box?.width, selector).toBeGreaterThan(150);
      expect(box?.height, selector).toBeGreaterThan(50);
    }
  });

  it('makes no network request and needs no script', async () => {
    expect(requests).toEqual([pathToFileURL(htmlPath).href]);
    expect(consoleErrors).toEqual([]);
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).not.toMatch(/<script\b(?![^>]*application\/json)/i);
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(/i);
  });

  it('says in its footer that amounts are rounded, and where the exact sums are', async () => {
    const footer = await page.textContent('footer');
    expect(footer).toContain(
      'Amounts are rounded for display; the exact sums, in nano-USD (1e-9 USD), are in tollgate report --json and in the data-…-nano-usd attributes of the cards, gauges, bars and table rows.',
    );
    expect(footer).not.toContain('exact sums of nano-USD');
    // The seeded history has no estimated call: nothing is said about them.
    expect(await page.locator('#estimated').count()).toBe(0);
  });

  it('shows the same totals as the JSON output', async () => {
    expect(await numberAttribute(page, '[data-total-cost-nano-usd]', 'data-total-cost-nano-usd')).toBe(
      report.total.costNano,
    );
    expect(await page.textContent('[data-total-cost-nano-usd] .card-value')).toBe(
      formatUsd(report.total.costNano),
    );
    expect(await numberAttribute(page, '[data-total-requests]', 'data-total-requests')).toBe(
      report.total.usage.requests,
    );
  });

  it('draws a gauge per budget with its exact figures', async () => {
    const gauges = await page.$$eval('figure.gauge', (elements) =>
      elements.map((element) => ({
        budgetId: element.getAttribute('data-budget-id'),
        level: element.getAttribute('data-alert-level'),
        used: Number(element.getAttribute('data-used-nano-usd')),
        limit: Number(element.getAttribute('data-limit-nano-usd')),
        usedText: element.querySelector('.used')?.textContent,
        limitText: element.querySelector('.limit')?.textContent,
        label: element.querySelector('.gauge-value')?.textContent,
      })),
    );
    expect(gauges).toEqual(
      report.statuses.map((status) => ({
        budgetId: status.budgetId,
        level: status.alertLevel,
        used: status.usedNano,
        limit: status.limitNano,
        usedText: formatUsd(status.usedNano),
        limitText: formatUsd(status.limitNano),
        label: `${(status.usedRatio * 100).toFixed(1)}%`,
      })),
    );
  });

  it('draws one daily bar per day, as tall as its spend', async () => {
    const bars = await page.$$eval('rect.day-bar', (elements) =>
      elements.map((element) => ({
        day: element.getAttribute('data-day'),
        cost: Number(element.getAttribute('data-cost-nano-usd')),
        height: Number(element.getAttribute('height')),
      })),
    );
    expect(bars.map(({ day, cost }) => ({ day, cost }))).toEqual(
      report.daily.map((day) => ({ day: day.day, cost: day.costNano })),
    );
    const tallest = bars.reduce((best, bar) => (bar.cost > best.cost ? bar : best));
    for (const bar of bars) expect(bar.height).toBeCloseTo((bar.cost / tallest.cost) * tallest.height, 0);
    expect(bars.find((bar) => bar.day === '2026-11-19')?.height).toBe(0);
  });

  it('gives the daily bars an axis of their own, apart from the running total', async () => {
    const chart = await page.$eval('svg.daily-chart', (svg) => ({
      gridY: [...svg.querySelectorAll('line.grid')].map((line) => Number(line.getAttribute('y1'))),
      barHeights: [...svg.querySelectorAll('rect.day-bar')].map((bar) => Number(bar.getAttribute('height'))),
      totalPointsY: (svg.querySelector('polyline.running-total')?.getAttribute('points') ?? '')
        .split(' ')
        .map((point: string) => Number(point.split(',')[1])),
      dailyLabels: [...svg.querySelectorAll('text.daily-axis')].map((text) => text.textContent),
      totalLabels: [...svg.querySelectorAll('text.total-axis')].map((text) => text.textContent),
    }));
    const plotTop = Math.min(...chart.gridY);
    const plotHeight = Math.max(...chart.gridY) - plotTop;
    // A round axis maximum is at most twice the largest value: the tallest day fills at least half the plot.
    expect(Math.max(...chart.barHeights)).toBeGreaterThanOrEqual(plotHeight / 2);
    const tallestDay = Math.max(...report.daily.map((day) => day.costNano));
    const total = report.daily.reduce((sum, day) => sum + day.costNano, 0);
    // The seeded history spreads its spend over many days, so one axis would have squashed the bars.
    expect(total).toBeGreaterThan(2 * tallestDay);
    expect(Math.min(...chart.totalPointsY)).toBeLessThanOrEqual(plotTop + plotHeight / 2);
    expect(chart.dailyLabels.at(-1)).not.toBe(chart.totalLabels.at(-1));
    expect(chart.totalLabels).toHaveLength(chart.dailyLabels.length);
  });

  it('draws the provider and model bar charts and tables from the breakdowns', async () => {
    for (const dimension of ['provider', 'model'] as const) {
      const breakdown = report.breakdowns.find((candidate) => candidate.by.join() === dimension)!;
      const bars = await page.$$eval(`#chart-${dimension} g.bar`, (elements) =>
        elements.map((element) => ({
          key: element.getAttribute('data-key'),
          cost: Number(element.getAttribute('data-cost-nano-usd')),
          width: Number(element.querySelector('rect')?.getAttribute('width')),
          value: element.querySelector('text.value')?.textContent,
        })),
      );
      expect(bars.map(({ key, cost, value }) => ({ key, cost, value }))).toEqual(
        breakdown.groups.map((group) => ({
          key: group.key[dimension],
          cost: group.costNano,
          value: formatUsd(group.costNano),
        })),
      );
      const widest = bars[0]!;
      for (const bar of bars)
        expect(bar.width).toBeCloseTo(Math.max(2, (bar.cost / widest.cost) * widest.width), 0);
    }
    for (const breakdown of report.breakdowns) {
      const rows = await page.$$eval(
        `table[data-breakdown="${breakdown.by.join('+')}"] tbody tr`,
        (elements) =>
          elements.map((element) => ({
            cost: Number(element.getAttribute('data-cost-nano-usd')),
            requests: Number(element.getAttribute('data-requests')),
            costText: element.querySelector('td.cost')?.textContent,
            key: element.querySelector('td[data-dimension]')?.textContent,
          })),
      );
      expect(rows).toEqual(
        breakdown.groups.map((group) => ({
          cost: group.costNano,
          requests: group.usage.requests,
          costText: formatUsd(group.costNano),
          key: group.key[breakdown.by[0]!] || '(none)',
        })),
      );
    }
  });

  it('lists the recommendations and what-if savings', async () => {
    const recommendations = await page.$$eval('li.recommendation', (elements) =>
      elements.map((element) => element.getAttribute('data-kind')),
    );
    expect(recommendations).toEqual(report.recommendations.map((recommendation) => recommendation.kind));
    const savings = await page.$$eval('table.savings tbody tr', (elements) =>
      elements.map((element) => Number(element.getAttribute('data-saving-nano-usd'))),
    );
    expect(savings).toEqual(report.savings.map((saving) => saving.savingNano));
  });
});
