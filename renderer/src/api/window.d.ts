import type { SohoaBridge } from '../../../shared/api/bridge';

declare global {
  interface Window {
    /** Exposed by the desktop preload; absent in browser mode. */
    sohoa?: SohoaBridge;
  }
}

export {};
