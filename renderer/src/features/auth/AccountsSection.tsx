import { useState, type FormEvent } from 'react';
import { ROLES, ROLE_NAMES, type Role } from '../../../../shared/api/permissions';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError, useCall } from '../../api';
import { useErrorText, useLang, useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { Notice } from '../../ui/Notice';
import { MIN_PASSWORD_LENGTH } from './AuthScreens';
import { useSession } from './session';
import './auth.css';
import { Field } from '../../ui/Field';

type Draft = { username: string; displayName: string; role: Role; password: string };
const EMPTY: Draft = { username: '', displayName: '', role: 'clerk', password: '' };

/** "Tài khoản" on the admin screen: who has an account, and a form to create one. */
export function AccountsSection() {
  const t = useT();
  const [lang] = useLang();
  const errorText = useErrorText();
  const { user: me } = useSession();
  const users = useCall('users.list', {});
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [tooShort, setTooShort] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setCreated(null);
    setError(null);
    if (draft.password.length < MIN_PASSWORD_LENGTH) {
      setTooShort(true);
      return;
    }
    setTooShort(false);
    setBusy(true);
    try {
      const user = await api.call('users.create', { ...draft, username: draft.username.trim() });
      setCreated(user.username);
      setDraft(EMPTY);
      users.reload();
    } catch (failure) {
      setError(toAppError(failure));
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (field: keyof Draft): string | null => {
    if (field === 'password' && tooShort) return t('auth.passwordTooShort', { n: MIN_PASSWORD_LENGTH });
    return error?.field === field ? errorText(error) : null;
  };

  return (
    <section className="panel accounts" data-testid="accounts">
      <h2 className="panel__title">{t('users.title')}</h2>
      <p className="muted small">{t('users.intro')}</p>
      {users.error ? (
        <Notice tone="error">
          {t('users.loadError')} {errorText(users.error)}
        </Notice>
      ) : null}
      <ul className="accounts__list" data-testid="accounts-list">
        {(users.data ?? []).map((u) => (
          <li key={u.id} className="accounts__item" data-testid="account-item" data-username={u.username}>
            <span className="strong">{u.displayName}</span>
            <span className="mono small">{u.username}</span>
            <Badge tone={u.role === 'admin' ? 'warning' : 'info'}>{ROLE_NAMES[u.role][lang]}</Badge>
            {u.id === me.id ? <span className="muted small">({t('users.you')})</span> : null}
          </li>
        ))}
      </ul>
      <form className="form accounts__form" onSubmit={submit} noValidate data-testid="account-create">
        <div className="accounts__fields">
          <Field label={t('auth.username')} error={fieldError('username')}>
            {(id) => (
              <input
                id={id}
                className={`input${fieldError('username') ? ' input--invalid' : ''}`}
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                maxLength={64}
                value={draft.username}
                onChange={(e) => setDraft({ ...draft, username: e.target.value })}
                data-testid="account-username"
              />
            )}
          </Field>
          <Field label={t('auth.displayName')}>
            {(id) => (
              <input
                id={id}
                className="input"
                autoComplete="off"
                maxLength={120}
                value={draft.displayName}
                onChange={(e) => setDraft({ ...draft, displayName: e.target.value })}
                data-testid="account-display-name"
              />
            )}
          </Field>
          <Field label={t('users.role')}>
            {(id) => (
              <select
                id={id}
                className="input select"
                value={draft.role}
                onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}
                data-testid="account-role"
              >
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {ROLE_NAMES[role][lang]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label={t('auth.password')}
            hint={t('auth.passwordHint', { n: MIN_PASSWORD_LENGTH })}
            error={fieldError('password')}
          >
            {(id) => (
              <input
                id={id}
                className={`input${fieldError('password') ? ' input--invalid' : ''}`}
                type="password"
                autoComplete="new-password"
                maxLength={256}
                value={draft.password}
                onChange={(e) => setDraft({ ...draft, password: e.target.value })}
                data-testid="account-password"
              />
            )}
          </Field>
        </div>
        {error && !error.field ? (
          <Notice tone="error" testId="account-error">
            {errorText(error)}
          </Notice>
        ) : null}
        {created ? (
          <Notice tone="success" testId="account-created">
            {t('users.created', { username: created })}
          </Notice>
        ) : null}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={busy} data-testid="account-submit">
            {busy ? t('users.creating') : t('users.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
