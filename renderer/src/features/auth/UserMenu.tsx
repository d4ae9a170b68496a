import { ROLE_NAMES } from '../../../../shared/api/permissions';
import { useLang, useT } from '../../i18n';
import { useSession } from './session';

/** Who is signed in (name and role) and "Đăng xuất", in the top bar. */
export function UserMenu() {
  const t = useT();
  const [lang] = useLang();
  const { user, signOut } = useSession();
  return (
    <div className="user-menu" data-testid="current-user" data-role={user.role}>
      <span className="user-menu__who">
        <span className="user-menu__name" data-testid="current-user-name">
          {user.displayName}
        </span>
        <span className="user-menu__role" data-testid="current-user-role">
          {ROLE_NAMES[user.role][lang]}
        </span>
      </span>
      <button type="button" className="btn btn--small user-menu__out" onClick={signOut} data-testid="sign-out">
        {t('auth.signOut')}
      </button>
    </div>
  );
}
