/**
 * The whole preload: a sandboxed preload cannot load chunks, so it stays one small file with no
 * imports besides electron. It exposes exactly `window.sohoa` (SohoaBridge).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on('sohoa:event', (_event: IpcRendererEvent, name: string, payload: unknown) => {
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

contextBridge.exposeInMainWorld('sohoa', {
  call: (name: string, input: unknown) => ipcRenderer.invoke('sohoa:call', name, input),
  upload: (fileName: string, bytes: ArrayBuffer) => ipcRenderer.invoke('sohoa:upload', fileName, new Uint8Array(bytes)),
  saveExport: (downloadPath: string, mode: 'save' | 'open') => ipcRenderer.invoke('sohoa:export', downloadPath, mode),
  subscribe: (event: string, listener: Listener) => {
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  },
});
