// Submit a run: a request file from disk or one of the examples, with the objective and time limit.
import { api, auth, publicJson } from '../api.js';
import { errorBlock, h, show } from '../dom.js';

const OBJECTIVES = [
  ['', 'as the file says (default: lowest cost)'],
  ['minimize_cost', 'Lowest energy bill'],
  ['minimize_tardiness', 'Least lateness'],
  ['minimize_makespan', 'Finish everything soonest'],
  ['balance_resources', 'Balance the heaters'],
];

async function readRequest(form) {
  const file = form.querySelector('#s-file').files[0];
  if (file) {
    const text = await file.text();
    try {
      return JSON.parse(text);
    } catch (err) {
      throw Object.assign(new Error(`${file.name} is not valid JSON (${err.message})`), {
        details: [{ path: 'file', message: 'must be a JSON run request' }],
      });
    }
  }
  const example = form.querySelector('#s-example').value;
  if (!example)
    throw Object.assign(new Error('choose a request file or an example'), { details: [{ path: 'file', message: 'nothing chosen' }] });
  return publicJson(`/examples/${encodeURIComponent(example)}`);
}

/** The form's choices on top of the request; with a login, the run is for the token's tenant. */
function applyChoices(request, form) {
  const objective = form.querySelector('#s-objective').value;
  const limit = form.querySelector('#s-limit').value;
  request.settings = { ...(request.settings ?? {}) };
  if (objective) request.settings.objective = objective;
  if (limit) request.settings.solverTimeLimitSeconds = Number(limit);
  const tenant = auth.claims?.tenant;
  if (tenant && request.schedule) request.schedule.tenant = tenant;
  return request;
}

/** The README's example day when offered, else the first. */
const preselected = (examples) => (examples.includes('plant-day.json') ? 'plant-day.json' : examples[0]);

function submitForm(examples, button, status) {
  return h(
    'form',
    { class: 'card', novalidate: true },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 's-file' }, 'Request file (JSON)'),
      h('input', { id: 's-file', type: 'file', accept: 'application/json,.json', 'aria-describedby': 's-file-hint' }),
      h(
        'p',
        { id: 's-file-hint', class: 'hint' },
        'The jobs, and optionally the tariff, heaters and settings, as in examples/plant-day.json.',
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 's-example' }, 'or an example'),
      h(
        'select',
        { id: 's-example' },
        h('option', { value: '' }, '—'),
        examples.map((x) => h('option', { value: x, selected: x === preselected(examples) }, x)),
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 's-objective' }, 'Objective'),
      h(
        'select',
        { id: 's-objective' },
        OBJECTIVES.map(([v, l]) => h('option', { value: v }, l)),
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 's-limit' }, 'Solver time limit (seconds)'),
      h('input', {
        id: 's-limit',
        type: 'number',
        min: 1,
        max: 3600,
        step: 1,
        inputmode: 'numeric',
        placeholder: 'as the file says',
        'aria-describedby': 's-limit-hint',
      }),
      h('p', { id: 's-limit-hint', class: 'hint' }, 'A planner may ask for up to 300 s.'),
    ),
    button,
    status,
  );
}

export async function submitView(main) {
  const examples = await publicJson('/examples/index.json')
    .then((x) => x.examples)
    .catch(() => []);
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit' }, 'Submit run');
  const form = submitForm(examples, button, status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    show(status, h('p', {}, 'Submitting…'));
    try {
      const request = applyChoices(await readRequest(form), form);
      const { runId } = await api('/api/runs', { method: 'POST', body: request });
      location.hash = `#/runs/${runId}`;
    } catch (err) {
      show(status, errorBlock(err));
      status.querySelector('[role=alert]')?.setAttribute('tabindex', '-1');
      status.querySelector('[role=alert]')?.focus();
    } finally {
      button.disabled = false;
    }
  });
  show(main, h('h1', {}, 'New run'), form);
}
