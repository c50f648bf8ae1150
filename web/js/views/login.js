// Sign in by pasting a bearer token (issued by the plant's identity provider); the local demo needs none.
import { api, auth } from '../api.js';
import { errorBlock, h, show } from '../dom.js';

export function loginView(main, config, onChange) {
  if (config.auth === 'open') {
    show(
      main,
      h('h1', {}, 'Sign in'),
      h('p', {}, 'This is the local demo: the API runs without login on this machine only, and every caller may do everything.'),
      h('p', {}, h('a', { href: '#/runs' }, 'Go to the runs')),
    );
    return;
  }
  const claims = auth.claims;
  const status = h('div', { 'aria-live': 'polite' });
  const input = h('textarea', { id: 'l-token', rows: 4, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'l-hint' });
  const form = h(
    'form',
    { class: 'card' },
    h('div', { class: 'field' }, h('label', { for: 'l-token' }, 'Access token'), input),
    h(
      'p',
      { id: 'l-hint', class: 'hint' },
      'Paste the bearer token (JWT) your administrator or identity provider issued. It is kept in this tab only.',
    ),
    h('button', { type: 'submit' }, 'Sign in'),
    status,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    auth.token = input.value.trim();
    try {
      await api('/api/runs?limit=1');
      onChange();
      location.hash = '#/runs';
    } catch (err) {
      auth.token = null;
      show(status, errorBlock(err));
    }
  });
  const signOut = h('button', { type: 'button', class: 'secondary' }, 'Sign out');
  signOut.addEventListener('click', () => {
    auth.token = null;
    onChange();
    loginView(main, config, onChange);
  });
  show(
    main,
    h('h1', {}, 'Sign in'),
    claims
      ? h('p', {}, `Signed in as ${claims.sub} (tenant ${claims.tenant}, ${[].concat(claims.roles ?? []).join(', ')}). `, signOut)
      : null,
    form,
  );
}
