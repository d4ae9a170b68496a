import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'SoHoa';

/**
 * The per-user data folder, the same one Electron's `app.getPath('userData')` gives, so the
 * desktop app, browser mode and the CLI share one store. `SOHOA_DATA_DIR` or `--data` override it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SOHOA_DATA_DIR) return path.resolve(env.SOHOA_DATA_DIR);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
  }
}
