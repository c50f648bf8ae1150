// The web page's router: #/runs, #/runs/<id>, #/sites/<site>/schedules/<date>, #/submit, #/login. Plain ES modules, no build.
import { auth, publicJson } from './api.js';
import { h, show } from './dom.js';
import { loginView } from './views/login.js';
import { runView } from './views/run.js';
import { runsView } from './views/runs.js';
import { submitView } from './views/submit.js';
import { versionsView } from './views/versions.js';

const main = document.getElementById('view');
const banner = document.getElementById('banner');
let config = { auth: 'open', temporalUi: null };
let leave = () => {};
/** A message for the next page shown (set before a redirect). */
let notice = '';

function updateLoginLink() {
  const link = document.getElementById('login-link');
  if (config.auth === 'open') link.textContent = 'Local demo';
  else link.textContent = auth.claims ? `${auth.claims.sub} (${auth.claims.tenant})` : 'Sign in';
}

function markNav(section) {
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function route() {
  leave();
  leave = () => {};
  banner.textContent = notice;
  banner.className = notice ? 'error' : '';
  notice = '';
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const section = parts[0] ?? 'runs';
  markNav(section);
  if (config.auth !== 'open' && !auth.token && section !== 'login') {
    location.hash = '#/login';
    return;
  }
  if (section === 'runs' && parts[1]) {
    document.title = `Run ${parts[1].slice(0, 8)} · HeatScheduler`;
    leave = runView(main, parts[1], config);
  } else if (section === 'sites' && parts[2] === 'schedules' && parts[3]) {
    const site = decodeURIComponent(parts[1]);
    document.title = `Versions ${site} ${parts[3]} · HeatScheduler`;
    versionsView(main, site, parts[3], query);
  } else if (section === 'submit') {
    document.title = 'New run · HeatScheduler';
    await submitView(main);
  } else if (section === 'login') {
    document.title = 'Sign in · HeatScheduler';
    loginView(main, config, updateLoginLink);
  } else {
    document.title = 'Runs · HeatScheduler';
    leave = runsView(main, query);
  }
  main.focus();
}

window.addEventListener('heatscheduler:unauthenticated', () => {
  auth.token = null;
  updateLoginLink();
  // On the sign-in page itself, the page shows what was wrong with the token.
  if (location.hash.startsWith('#/login')) return;
  notice = 'Your sign-in is missing or has expired: paste a token to go on.';
  location.hash = '#/login';
});
window.addEventListener('hashchange', () => void route());

config = await publicJson('/web-config.json').catch(() => config);
updateLoginLink();
if (!location.hash) location.hash = '#/runs';
else await route().catch((err) => show(main, h('p', { role: 'alert' }, String(err))));
