/** The renderer's Content-Security-Policy, sent by both hosts (browser mode and the desktop shell). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; img-src 'self' data: blob: sohoa-media:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
