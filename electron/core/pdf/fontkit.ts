import type * as FontkitModule from '@pdf-lib/fontkit';

export type Fontkit = typeof FontkitModule;
let fontkitLoading: Promise<Fontkit> | null = null;

/**
 * fontkit (which pdf-lib needs to embed a TrueType font) is a 1.5 MB UMD bundle: loaded on the
 * first PDF that embeds a font, not when the backend opens. Imported at the top of a module, it
 * cost every CLI command and every app start about 0.3 s of CPU (`sohoa --help`: 2.6 -> 2.3 s).
 */
export function loadFontkit(): Promise<Fontkit> {
  // A CommonJS bundle: Node hands its module.exports over as `default`.
  fontkitLoading ??= import('@pdf-lib/fontkit').then(
    (module) => (module as unknown as { default?: Fontkit }).default ?? module,
  );
  return fontkitLoading;
}
