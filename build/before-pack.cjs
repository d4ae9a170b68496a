// electron-builder beforePack hook. node_modules stays built for Node's ABI (tests and the CLI run
// under Node), so packaging rebuilds the one native module, better-sqlite3, for the Electron it
// ships — and checks the result, because `electron-rebuild` has been seen to report success while
// building for Node (an npm `nodedir` setting wins over the Electron headers). Needs internet for
// the Electron headers; sharp ships prebuilt N-API binaries that need no rebuild.
const fs = require('node:fs');
const path = require('node:path');

const NATIVE_MODULES = ['better-sqlite3'];

/** The N-API/ABI version a compiled addon registers itself with (`node_register_module_v<N>`). */
function addonAbi(file) {
  const match = /node_register_module_v(\d+)/.exec(fs.readFileSync(file).toString('latin1'));
  return match ? Number(match[1]) : null;
}

async function beforePack(context) {
  const { rebuild } = require('@electron/rebuild');
  const { getAbi } = require('node-abi');
  const electronVersion = context.packager.config.electronVersion || require('electron/package.json').version;
  const arch =
    typeof context.arch === 'number' ? ['ia32', 'x64', 'armv7l', 'arm64', 'universal'][context.arch] : context.arch;
  const appDir = context.packager.info.appDir;
  delete process.env.npm_config_nodedir;
  await rebuild({ buildPath: appDir, electronVersion, arch, onlyModules: NATIVE_MODULES, force: true });
  const expected = Number(getAbi(electronVersion, 'electron'));
  const addon = path.join(appDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  const actual = addonAbi(addon);
  if (actual !== expected) {
    throw new Error(`better-sqlite3 was built for ABI ${actual}, Electron ${electronVersion} needs ${expected}`);
  }
}

module.exports = beforePack;
module.exports.default = beforePack;
module.exports.addonAbi = addonAbi;
module.exports.NATIVE_MODULES = NATIVE_MODULES;
