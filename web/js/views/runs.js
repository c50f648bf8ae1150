// The runs list: newest first, filters, pages, and live status while any run is still going.
import { api } from '../api.js';
import { errorBlock, fmt, h, show, statusBadge } from '../dom.js';

const STATUSES = ['', 'queued', 'running', 'completed', 'failed', 'cancelled'];
const REFRESH_MS = 3000;

function filtersForm(params, onChange) {
  const status = h(
    'select',
    { id: 'f-status', name: 'status' },
    STATUSES.map((st) => h('option', { value: st, selected: params.get('status') === st }, st || 'any')),
  );
  const site = h('input', { id: 'f-site', name: 'siteId', type: 'text', value: params.get('siteId') ?? '', autocomplete: 'off' });
  const from = h('input', { id: 'f-from', name: 'from', type: 'date', value: params.get('from') ?? '' });
  const to = h('input', { id: 'f-to', name: 'to', type: 'date', value: params.get('to') ?? '' });
  const form = h(
    'form',
    { class: 'card filters', 'aria-label': 'Filter runs' },
    h('div', { class: 'grid-2' }, [
      h('div', { class: 'field' }, h('label', { for: 'f-status' }, 'Status'), status),
      h('div', { class: 'field' }, h('label', { for: 'f-site' }, 'Site'), site),
      h('div', { class: 'field' }, h('label', { for: 'f-from' }, 'Submitted from'), from),
      h('div', { class: 'field' }, h('label', { for: 'f-to' }, 'Submitted before'), to),
    ]),
    h('button', { type: 'submit' }, 'Apply filters'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) next.set(k, String(v));
    onChange(next);
  });
  return form;
}

function runsTable(items) {
  if (!items.length) return h('p', {}, 'No runs yet. ', h('a', { href: '#/submit' }, 'Submit one.'));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'aria-label': 'Runs' },
      h(
        'thead',
        {},
        h('tr', {}, [
          h('th', { scope: 'col' }, 'Run'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col' }, 'Site'),
          h('th', { scope: 'col', class: 'hide-narrow' }, 'Submitted'),
          h('th', { scope: 'col', class: 'num' }, 'Cost'),
          h('th', { scope: 'col', class: 'num' }, 'Savings'),
        ]),
      ),
      h(
        'tbody',
        {},
        items.map((run) =>
          h('tr', { 'data-run': run.runId }, [
            h('td', {}, h('a', { href: `#/runs/${run.runId}` }, run.runId.slice(0, 8))),
            h('td', {}, statusBadge(run.status), run.errorCode ? ` ${run.errorCode}` : ''),
            h('td', {}, run.siteId ?? '–'),
            h('td', { class: 'hide-narrow' }, fmt.when(run.createdAt)),
            h('td', { class: 'num' }, fmt.money(run.optimizedCost)),
            h('td', { class: 'num' }, fmt.money(run.savings)),
          ]),
        ),
      ),
    ),
  );
}

/** Renders the list into `main`; returns a function that stops its live refresh. */
export function runsView(main, query) {
  const params = new URLSearchParams(query);
  const results = h('section', { 'aria-live': 'polite', 'aria-busy': 'true' });
  const cursors = [params.get('cursor')].filter(Boolean);
  let timer;
  let stopped = false;
  const load = async () => {
    clearTimeout(timer);
    try {
      const listQuery = new URLSearchParams(params);
      listQuery.set('limit', '20');
      const page = await api(`/api/runs?${listQuery}`);
      if (stopped) return;
      const pager = page.nextCursor ? h('p', {}, h('a', { href: `#/runs?${withCursor(params, page.nextCursor)}` }, 'Older runs →')) : null;
      show(results, runsTable(page.items), pager);
      results.setAttribute('aria-busy', 'false');
      if (page.items.some((r) => r.status === 'queued' || r.status === 'running')) timer = setTimeout(load, REFRESH_MS);
    } catch (err) {
      if (!stopped) show(results, errorBlock(err));
    }
  };
  show(
    main,
    h('h1', {}, 'Runs'),
    filtersForm(params, (next) => {
      location.hash = `#/runs?${next}`;
    }),
    cursors.length ? h('p', {}, h('a', { href: '#/runs' }, '← Newest runs')) : null,
    results,
  );
  void load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function withCursor(params, cursor) {
  const next = new URLSearchParams(params);
  next.set('cursor', cursor);
  return next;
}
