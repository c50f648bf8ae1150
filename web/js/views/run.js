// One run: live progress over Server-Sent Events, then the plan (Gantt, load against tariff periods
// and the limit), costs against the baseline, savings by cause, unscheduled jobs, warnings, reports.
import { api, download, followRun } from '../api.js';
import { ganttChart, legendOfCategories, legendOfHeaters, loadChart, signedBars, stackedBars } from '../charts.js';
import { errorBlock, fmt, h, show, statusBadge } from '../dom.js';

const STEPS = ['intake', 'tariff', 'equipment', 'optimize', 'cost', 'report', 'notify'];
const ENDED = new Set(['completed', 'failed', 'cancelled']);

function progressSection(progress, status) {
  const percent = progress?.percent ?? (status === 'completed' ? 100 : 0);
  const solver = progress?.solver;
  return [
    h('progress', { max: 100, value: percent, 'aria-label': `Run progress ${percent} %` }, `${percent} %`),
    h(
      'ol',
      { class: 'steps', 'aria-label': 'Steps' },
      STEPS.map((step) => {
        const state = progress?.steps?.[step] ?? (status === 'completed' ? 'done' : 'pending');
        return h('li', { class: state, 'data-step': step }, `${step}: ${state}`);
      }),
    ),
    solver
      ? h(
          'p',
          { class: 'solver-live' },
          `Solver after ${fmt.number(solver.elapsedMs / 1000, 1)} s: incumbent ${fmt.number(solver.incumbent, 2)}, bound ${fmt.number(solver.bound, 2)}, gap ${solver.gap === null ? '–' : fmt.percent(solver.gap * 100, 2)}`,
        )
      : null,
  ];
}

function header(run) {
  return [
    h('h1', {}, `Run ${run.runId.slice(0, 8)} `, h('span', { id: 'run-status' }, statusBadge(run.status))),
    h(
      'p',
      { class: 'hint' },
      `Site ${run.siteId ?? '–'} · tenant ${run.tenant} · submitted ${fmt.when(run.createdAt)}${run.submittedBy ? ` by ${run.submittedBy}` : ''}`,
    ),
  ];
}

function actions(run, refresh) {
  const out = [];
  const act = (label, method, path, className) => {
    const button = h('button', { type: 'button', class: className }, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const answer = await api(path, { method });
        if (answer?.retryOf) location.hash = `#/runs/${answer.runId}`;
        else refresh();
      } catch (err) {
        button.after(errorBlock(err));
        button.disabled = false;
      }
    });
    return button;
  };
  if (!ENDED.has(run.status)) out.push(act('Cancel run', 'DELETE', `/api/runs/${run.runId}`, 'secondary'));
  if (run.status === 'failed' || run.status === 'cancelled') out.push(act('Retry as a new run', 'POST', `/api/runs/${run.runId}/retry`));
  return out.length ? h('p', { class: 'actions' }, out) : null;
}

function reportLinks(run, config) {
  const file = (kind, label) => {
    const a = h('a', { href: `/api/runs/${run.runId}/${kind}`, 'data-report': kind }, label);
    a.addEventListener('click', (e) => {
      e.preventDefault();
      download(a.getAttribute('href'), `heatscheduler-${run.runId.slice(0, 8)}-${kind}`).catch((err) => a.after(errorBlock(err)));
    });
    return h('li', {}, a);
  };
  const temporal = config.temporalUi
    ? `${config.temporalUi.url}/namespaces/${encodeURIComponent(config.temporalUi.namespace)}/workflows/${run.runId}`
    : null;
  const done = run.status === 'completed';
  return h('ul', { class: 'links' }, [
    done ? [file('report.pdf', 'Report (PDF)'), file('report.xlsx', 'Workbook (XLSX)'), file('report.json', 'Report (JSON)')] : null,
    done ? file('report.txt', 'Summary (text)') : h('li', { class: 'hint' }, 'The reports appear when the run completes.'),
    file('provenance', 'Provenance (hash chain)'),
    temporal ? h('li', {}, h('a', { href: temporal, target: '_blank', rel: 'noopener' }, 'Open in Temporal UI')) : null,
  ]);
}

/** Totals of either report shape (numbers, or the cost statement's exact decimal strings). */
const total = (plan, key) => Number(plan?.[key] ?? 0);
const COST_PARTS = [
  { key: 'electricCost', label: 'Electricity', colour: '#2f6fb5' },
  { key: 'fuelCost', label: 'Fuel', colour: '#d9822b' },
  { key: 'startupCost', label: 'Start-ups', colour: '#8a5a9e' },
  { key: 'baseLoadCost', label: 'Base load', colour: '#9aa5b4' },
  { key: 'demandCharge', label: 'Demand charges', colour: '#b3261e' },
  { key: 'fixedCharge', label: 'Fixed charges', colour: '#5b6675' },
];
const CAUSES = {
  time_of_use_shift: 'Time-of-use shift',
  equipment_choice: 'Heater choice',
  peak_shaving: 'Peak shaving',
  startups: 'Fewer start-ups',
  unmatched_work: 'Work the baseline could not place',
};

function costTable(rows, currency) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'aria-label': 'Costs against the baseline' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Component'),
          rows.map((r) => h('th', { scope: 'col', class: 'num' }, r.label)),
        ),
      ),
      h(
        'tbody',
        {},
        [...COST_PARTS, { key: 'total', label: 'Total' }].map((p) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, p.label),
            rows.map((r) => h('td', { class: 'num' }, fmt.money(p.key === 'total' ? r.total : r.values[p.key], currency))),
          ),
        ),
      ),
    ),
  );
}

function costSection(report) {
  const currency = report.currency;
  const rows = [
    { label: 'Baseline (FIFO)', doc: report.baseline },
    { label: 'Optimised', doc: report.optimized },
  ].map((r) => ({
    label: r.label,
    total: total(r.doc, 'total'),
    values: Object.fromEntries(COST_PARTS.map((p) => [p.key, total(r.doc, p.key)])),
  }));
  const savings = report.savings ?? {};
  const legend = h(
    'ul',
    { class: 'legend' },
    COST_PARTS.map((p) => h('li', {}, h('span', { class: 'swatch', style: `background:${p.colour}` }), p.label)),
  );
  const table = costTable(rows, currency);
  const byCause = savings.byCause?.map((c) => ({ label: CAUSES[c.cause] ?? c.cause, value: Number(c.amount) }));
  return h(
    'section',
    { 'aria-labelledby': 'costs-h' },
    h('h2', { id: 'costs-h' }, 'Costs against the baseline'),
    stackedBars(rows, COST_PARTS, {
      currency,
      label: `Baseline ${fmt.money(rows[0].total, currency)}, optimised ${fmt.money(rows[1].total, currency)}`,
    }),
    legend,
    table,
    h('h2', { id: 'causes-h' }, 'Savings by cause'),
    byCause?.length
      ? signedBars(byCause, { currency, label: byCause.map((c) => `${c.label} ${fmt.money(c.value, currency)}`).join('; ') })
      : h('p', { class: 'hint' }, 'This report does not split the savings by cause.'),
    h('p', {}, `Saved ${fmt.money(savings.amount, currency)} (${fmt.percent(savings.percent)}) against first-come-first-served.`),
  );
}

function summaryFigures(run, plan, report) {
  const currency = report?.currency ?? 'USD';
  const fig = (label, value, sub) =>
    h(
      'div',
      { class: 'figure' },
      h('div', { class: 'label' }, label),
      h('div', { class: 'value' }, value),
      sub ? h('div', { class: 'sub' }, sub) : null,
    );
  return h('div', { class: 'figures' }, [
    fig('Optimised cost', fmt.money(run.cost?.optimized, currency), `baseline ${fmt.money(run.cost?.baseline, currency)}`),
    fig('Savings', fmt.money(run.cost?.savings, currency), fmt.percent(run.cost?.savingsPercent)),
    fig('Peak load', fmt.kw(plan.peakKw), plan.peakLimitKw ? `limit ${fmt.kw(plan.peakLimitKw)}` : 'no contractual limit'),
    fig(
      'Jobs placed',
      `${plan.assignments.length} / ${plan.assignments.length + plan.unscheduled.length}`,
      plan.unscheduled.length ? `${plan.unscheduled.length} not scheduled` : 'all scheduled',
    ),
    fig(
      'Solver',
      run.solver?.status ?? '–',
      run.solver?.mipGap === null || run.solver?.mipGap === undefined ? '' : `gap ${fmt.percent(run.solver.mipGap * 100, 2)}`,
    ),
  ]);
}

function assignmentsTable(plan) {
  const heaters = new Map(plan.heaters.map((x) => [x.id, x.name]));
  const at = (iso) => fmt.siteTime(iso, plan.timeZone);
  return h(
    'details',
    {},
    h('summary', {}, `Assignments (${plan.assignments.length})`),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { 'aria-label': 'Assignments' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Job', 'Product', 'Heater', 'Start', 'End', 'Heat kW', 'Electric kW'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          plan.assignments.map((a) =>
            h('tr', {}, [
              h('td', {}, a.jobId),
              h('td', {}, a.product ?? '–'),
              h('td', {}, heaters.get(a.equipmentId) ?? a.equipmentId),
              h('td', {}, at(a.start)),
              h('td', {}, at(a.end)),
              h('td', { class: 'num' }, fmt.number(a.thermalKw, 1)),
              h('td', { class: 'num' }, fmt.number(a.electricKw, 1)),
            ]),
          ),
        ),
      ),
    ),
  );
}

function warningsSection(plan, report) {
  const warnings = report?.warnings ?? plan.solverNotes.map((text) => ({ severity: 'info', text }));
  return h(
    'section',
    { 'aria-labelledby': 'warn-h' },
    h('h2', { id: 'warn-h' }, 'Unscheduled jobs and warnings'),
    plan.unscheduled.length
      ? h(
          'ul',
          { 'aria-label': 'Unscheduled jobs' },
          plan.unscheduled.map((u) => h('li', {}, h('strong', {}, u.jobId), `: ${u.reason}`)),
        )
      : h('p', {}, 'Every job is scheduled.'),
    warnings.length
      ? h(
          'ul',
          { class: 'warnings' },
          warnings.map((w) => h('li', { class: w.severity }, w.text)),
        )
      : h('p', {}, 'No warnings.'),
  );
}

/** The report's own words: its narrative (computed figures in sentences), or the older highlights. */
function summaryText(report) {
  if (report?.narrative?.text)
    return h(
      'div',
      { class: 'card narrative' },
      report.narrative.text.split(/\n+/).map((p) => h('p', {}, p)),
    );
  if (report?.highlights?.length)
    return h(
      'ul',
      { class: 'highlights', 'aria-label': 'Highlights' },
      report.highlights.map((t) => h('li', {}, t)),
    );
  return null;
}

/** The site's schedule for the run's day (the plant's local date of the horizon's start), where versions are compared and applied. */
function versionsLink(run, plan) {
  if (!run.siteId) return null;
  const date = new Date(plan.horizon.start).toLocaleDateString('en-CA', { timeZone: plan.timeZone });
  const href = `#/sites/${encodeURIComponent(run.siteId)}/schedules/${date}?tenant=${encodeURIComponent(run.tenant)}`;
  return h('p', {}, h('a', { href, 'data-link': 'versions' }, `Versions of ${run.siteId}’s schedule for ${date}: compare and apply`));
}

async function resultsSection(run) {
  const [plan, report] = await Promise.all([
    api(`/api/runs/${run.runId}/plan`),
    api(`/api/runs/${run.runId}/report.json`).catch(() => null),
  ]);
  return h(
    'div',
    { class: 'results' },
    summaryFigures(run, plan, report),
    versionsLink(run, plan),
    summaryText(report),
    h(
      'section',
      { 'aria-labelledby': 'gantt-h' },
      h('h2', { id: 'gantt-h' }, `Heaters over the horizon (${plan.timeZone})`),
      h('div', { class: 'card' }, h('div', { class: 'chart-scroll' }, ganttChart(plan)), legendOfHeaters(plan), legendOfCategories(plan)),
      assignmentsTable(plan),
    ),
    h(
      'section',
      { 'aria-labelledby': 'load-h' },
      h('h2', { id: 'load-h' }, 'Electric load against tariff periods and the limit'),
      h('div', { class: 'card' }, h('div', { class: 'chart-scroll' }, loadChart(plan)), legendOfCategories(plan)),
    ),
    report ? h('div', { class: 'card' }, costSection(report)) : h('p', { class: 'hint' }, 'The report is not available.'),
    warningsSection(plan, report),
  );
}

/** Renders a run; returns a function that stops following it. */
export function runView(main, runId, config) {
  const stop = new AbortController();
  const live = h('section', { 'aria-labelledby': 'progress-h', 'aria-live': 'polite' });
  const render = async () => {
    const run = await api(`/api/runs/${runId}`);
    if (stop.signal.aborted) return;
    const results = h('div', { 'aria-busy': run.status === 'completed' ? 'true' : 'false' });
    show(live, h('h2', { id: 'progress-h' }, 'Progress'), progressSection(run.progress, run.status));
    show(
      main,
      header(run),
      run.error
        ? h('div', { role: 'alert', class: 'card error-list' }, h('strong', {}, run.error.code ?? 'failed'), `: ${run.error.message}`)
        : null,
      actions(run, () => void render()),
      live,
      h('h2', {}, 'Reports'),
      reportLinks(run, config),
      results,
    );
    if (run.status === 'completed') {
      show(results, await resultsSection(run).catch((err) => errorBlock(err)));
      results.setAttribute('aria-busy', 'false');
    } else if (!ENDED.has(run.status)) {
      await followRun(
        runId,
        (event) => {
          if (event.event !== 'progress') return;
          show(live, h('h2', { id: 'progress-h' }, 'Progress'), progressSection(event.data.progress, event.data.status));
          const badge = main.querySelector('#run-status');
          if (badge) show(badge, statusBadge(event.data.status));
        },
        stop.signal,
      );
      if (!stop.signal.aborted) await render();
    }
  };
  render().catch((err) => show(main, h('h1', {}, `Run ${runId.slice(0, 8)}`), errorBlock(err)));
  return () => stop.abort();
}
