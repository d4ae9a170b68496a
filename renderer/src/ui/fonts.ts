/**
 * Be Vietnam Pro (SIL OFL), designed for Vietnamese diacritics, bundled with the app so the UI
 * looks the same on every counter PC and never fetches a font from the network.
 */
import regular from '@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf';
import medium from '@expo-google-fonts/be-vietnam-pro/500Medium/BeVietnamPro_500Medium.ttf';
import semiBold from '@expo-google-fonts/be-vietnam-pro/600SemiBold/BeVietnamPro_600SemiBold.ttf';

export const UI_FONT_FAMILY = 'Be Vietnam Pro';

export function registerUiFonts(): void {
  if (typeof FontFace === 'undefined') return;
  const faces: [string, string][] = [
    [regular, '400'],
    [medium, '500'],
    [semiBold, '600'],
  ];
  for (const [url, weight] of faces) {
    const face = new FontFace(UI_FONT_FAMILY, `url("${url}") format("truetype")`, { weight, display: 'swap' });
    document.fonts.add(face);
    face.load().catch(() => {
      // The system sans-serif in the CSS stack takes over.
    });
  }
}
