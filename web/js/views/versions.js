// The versions of a site's schedule for a date: the list, a comparison of two, apply and roll back
// with a confirmation dialog. #/sites/<site>/schedules/<date>?tenant=<tenant>
import { api } from '../api.js';
import { errorBlock, fmt, h, show } from '../dom.js';

const CHANGE_LABELS = {
  moved: 'Moved',
  added: 'Added',
  removed: 'Removed',
  unscheduled: 'Left out',
  scheduled: 'Now placed',
  unchanged: 'Unchanged',
};

const signed = (value, text) =>
  value === null || value === undefined ? '–' : `${value > 0 ? '+' : value < 0 ? '−' : '±'}${text(Math.abs(value))}`;
const placementText = (p) => (p ? `${p.equipmentId} ${fmt.siteTime(p.start, 'UTC')}–${fmt.siteTime(p.end, 'UTC')} UTC` : '–');

function versionsTable(list) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'aria-label': 'Versions' },
      h(
        'thead',
        {},
        h('tr', {}, [
          h('th', { scope: 'col' }, 'Version'),
          h('th', { scope: 'col' }, 'Run'),
          h('th', { scope: 'col', class: 'hide-narrow' }, 'Completed'),
          h('th', { scope: 'col', class: 'num' }, 'Cost'),
          h('th', { scope: 'col', class: 'num' }, 'Peak'),
          h('th', { scope: 'col', class: 'num' }, 'Jobs placed'),
          h('th', { scope: 'col' }, 'State'),
        ]),
      ),
      h(
        'tbody',
        {},
        list.items.map((v) =>
          h('tr', { 'data-version': v.version }, [
            h('th', { scope: 'row' }, `v${v.version}`),
            h('td', {}, h('a', { href: `#/runs/${v.runId}` }, v.runId.slice(0, 8))),
            h('td', { class: 'hide-narrow' }, fmt.when(v.completedAt)),
            h('td', { class: 'num' }, fmt.money(v.optimizedCost)),
            h('td', { class: 'num' }, fmt.kw(v.peakKw)),
            h('td', { class: 'num' }, `${fmt.number(v.assignmentsCount)} / ${fmt.number(v.jobsCount)}`),
            h('td', {}, list.applied === v.version ? h('strong', { class: 'status completed' }, 'applied') : ''),
          ]),
        ),
      ),
    ),
  );
}

function diffTable(diff) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'aria-label': `Changes from v${diff.from} to v${diff.to}`, class: 'diff' },
      h(
        'thead',
        {},
        h('tr', {}, [
          h('th', { scope: 'col' }, 'Job'),
          h('th', { scope: 'col' }, 'Change'),
          h('th', { scope: 'col' }, `v${diff.from}`),
          h('th', { scope: 'col' }, `v${diff.to}`),
          h('th', { scope: 'col', class: 'num' }, 'Start shift'),
        ]),
      ),
      h(
        'tbody',
        {},
        diff.jobs.map((j) =>
          h('tr', { 'data-job': j.jobId, 'data-change': j.change, class: `change-${j.change}` }, [
            h('th', { scope: 'row' }, j.jobId),
            h('td', {}, CHANGE_LABELS[j.change], j.heaterChanged ? ' (other heater)' : ''),
            h('td', {}, placementText(j.from)),
            h('td', {}, placementText(j.to)),
            h(
              'td',
              { class: 'num' },
              signed(j.startShiftMinutes, (m) => `${m} min`),
            ),
          ]),
        ),
      ),
    ),
  );
}

function diffSummary(diff) {
  const counts = Object.entries(diff.counts)
    .filter(([, n]) => n > 0)
    .map(([change, n]) => `${n} ${CHANGE_LABELS[change].toLowerCase()}`)
    .join(', ');
  return h('dl', { class: 'figures', 'aria-label': 'Deltas' }, [
    h(
      'div',
      {},
      h('dt', {}, 'Cost'),
      h(
        'dd',
        { 'data-figure': 'cost-delta' },
        signed(diff.costDelta, (v) => fmt.money(v)),
      ),
    ),
    h(
      'div',
      {},
      h('dt', {}, 'Peak'),
      h(
        'dd',
        { 'data-figure': 'peak-delta' },
        signed(diff.peakDeltaKw, (v) => fmt.kw(v)),
      ),
    ),
    h('div', {}, h('dt', {}, 'Jobs'), h('dd', {}, counts || 'no jobs')),
  ]);
}

/** The modal that asks before an apply or a rollback; resolves with the reason, or null when cancelled. */
function confirmDialog(title, text) {
  const reason = h('input', { id: 'apply-reason', type: 'text', maxlength: 500, autocomplete: 'off' });
  const dialog = h(
    'dialog',
    { 'aria-labelledby': 'apply-title', class: 'card' },
    h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'apply-title' }, title),
      h('p', {}, text),
      h('div', { class: 'field' }, h('label', { for: 'apply-reason' }, 'Reason (kept in the audit trail)'), reason),
      h(
        'p',
        { class: 'actions' },
        h('button', { type: 'submit', value: 'confirm' }, 'Confirm'),
        h('button', { type: 'submit', value: 'cancel', class: 'secondary' }, 'Cancel'),
      ),
    ),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'confirm' ? reason.value.trim() : null);
    });
    dialog.showModal();
    reason.focus();
  });
}

/** Pick two versions to compare; apply the second, or roll back (each asks first). */
function controlsForm(list, on) {
  const versions = list.items.map((v) => v.version);
  const pick = (id, label, selected) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      h(
        'select',
        { id },
        versions.map((n) => h('option', { value: n, selected: n === selected }, `v${n}`)),
      ),
    );
  const last = versions.at(-1);
  const form = h(
    'form',
    { class: 'card', 'aria-label': 'Compare and apply' },
    h('div', { class: 'grid-2' }, pick('v-from', 'From', list.applied ?? versions.at(-2) ?? last), pick('v-to', 'To', last)),
    h(
      'p',
      { class: 'actions' },
      h('button', { type: 'submit' }, 'Compare'),
      h('button', { type: 'button', id: 'apply-to', class: 'secondary' }, 'Apply the “To” version…'),
      list.history.length > 1 ? h('button', { type: 'button', id: 'rollback', class: 'secondary' }, 'Roll back…') : null,
    ),
  );
  const chosen = (id) => Number(form.querySelector(`#${id}`).value);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void on.compare(chosen('v-from'), chosen('v-to'));
  });
  form.querySelector('#apply-to').addEventListener('click', () => void on.apply(chosen('v-to')));
  form.querySelector('#rollback')?.addEventListener('click', () => void on.rollback());
  return form;
}

/** Renders the versions page; returns nothing to stop (nothing runs in the background). */
export function versionsView(main, site, date, query) {
  const tenant = new URLSearchParams(query).get('tenant');
  const suffix = tenant ? `?tenant=${encodeURIComponent(tenant)}` : '';
  const path = `/api/sites/${encodeURIComponent(site)}/schedules/${encodeURIComponent(date)}`;
  const status = h('div', { role: 'status', 'aria-live': 'polite', class: 'hint', tabindex: -1 });
  const comparison = h('section', { 'aria-labelledby': 'compare-h' });

  const act = async (label, url, baseVersion) => {
    const reason = await confirmDialog(label, `The applied version is ${baseVersion ? `v${baseVersion}` : 'none yet'}.`);
    if (reason === null) return;
    try {
      const done = await api(`${url}${suffix}`, { method: 'POST', body: { baseVersion, ...(reason && { reason }) } });
      await render();
      show(status, `v${done.version} is now applied (${done.action}).`);
    } catch (err) {
      show(status, errorBlock(err));
    }
    status.focus(); // the dialog is gone: keyboard users carry on from the outcome
  };

  const compare = async (from, to) => {
    show(comparison, h('h2', { id: 'compare-h' }, `Compare v${from} with v${to}`), h('p', {}, 'Loading…'));
    try {
      const diff = await api(`${path}/diff?from=${from}&to=${to}${tenant ? `&tenant=${encodeURIComponent(tenant)}` : ''}`);
      show(comparison, h('h2', { id: 'compare-h' }, `Compare v${from} with v${to}`), diffSummary(diff), diffTable(diff));
    } catch (err) {
      show(comparison, h('h2', { id: 'compare-h' }, 'Compare'), errorBlock(err));
    }
  };

  const render = async () => {
    const [list, locks] = await Promise.all([api(`${path}/versions${suffix}`), api(`${path}/locks${suffix}`)]);
    show(
      main,
      h('h1', {}, `Schedule versions · ${site} · ${date}`),
      h('p', { class: 'hint' }, list.applied ? `Applied: v${list.applied}` : 'No version applied yet.'),
      list.items.length
        ? [
            versionsTable(list),
            controlsForm(list, {
              compare,
              apply: (n) => act(`Apply v${n}`, `${path}/versions/${n}/apply`, list.applied),
              rollback: () => act('Roll back to the version applied before', `${path}/rollback`, list.applied),
            }),
          ]
        : h('p', {}, 'No completed run for this site and date yet.'),
      status,
      comparison,
      locksSection(locks.items),
    );
  };
  render().catch((err) => show(main, h('h1', {}, `Schedule versions · ${site} · ${date}`), errorBlock(err)));
}

function locksSection(locks) {
  return h(
    'section',
    { 'aria-labelledby': 'locks-h' },
    h('h2', { id: 'locks-h' }, 'Locks'),
    locks.length
      ? h(
          'ul',
          {},
          locks.map((l) =>
            h(
              'li',
              {},
              l.kind === 'event'
                ? `Job ${l.jobId} pinned to ${l.equipmentId} at ${fmt.when(l.start)}`
                : `${l.equipmentId} kept free ${fmt.when(l.start)} – ${fmt.when(l.end)}`,
              l.reason ? ` (${l.reason})` : '',
            ),
          ),
        )
      : h('p', { class: 'hint' }, 'No locks.'),
  );
}
