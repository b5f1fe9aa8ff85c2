// Sign-in and sign-out in the top bar. Anonymous: a form (user name, password); signed in: the user's name and role,
// and "Salir". Signing in or out reloads the page, so every layer and panel starts again with the new rights.

import { t, onLangChange } from '../i18n.js';
import { el, fill, byId } from '../dom.js';
import { session, signIn as apiSignIn, signOut as apiSignOut, describe } from '../api.js';

let lastError = null;

/** Signs in (the form's submit, and the test hook); reloads the page on success, shows the reason otherwise. */
export async function signIn(username, password) {
  try {
    await apiSignIn(username, password);
  } catch (err) {
    lastError = describe(err);
    renderAccount();
    throw err;
  }
  location.reload();
}

export async function signOut() {
  await apiSignOut();
  location.reload();
}

export function renderAccount() {
  const box = byId('account');
  const user = session();
  document.body.dataset.user = user ? user.username : '';
  if (user) {
    fill(box,
      el('span', { class: 'account-user', id: 'account-user' }, `${user.username} · ${t(`role.${user.role}`)}`),
      el('button', { type: 'button', id: 'signout', class: 'tool-btn', on: { click: () => signOut() } }, t('account.signOut')));
    return;
  }
  const name = el('input', { id: 'signin-user', name: 'username', autocomplete: 'username', required: true, placeholder: t('account.username'), 'aria-label': t('account.username') });
  const password = el('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, placeholder: t('account.password'), 'aria-label': t('account.password') });
  const form = el('form', {
    id: 'signin-form',
    on: {
      submit: (e) => {
        e.preventDefault();
        signIn(name.value, password.value).catch(() => {});
      },
    },
  }, name, password, el('button', { type: 'submit', id: 'signin-submit', class: 'tool-btn' }, t('account.signIn')));
  fill(box, form, lastError ? el('span', { class: 'account-error', id: 'signin-error', role: 'alert' }, lastError) : null);
}

onLangChange(renderAccount);
