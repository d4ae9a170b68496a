// Preload for running the desktop backend's entry (electron/main/core-host.ts) under plain Node in
// tests: Electron's utility process receives the shell's messages on `process.parentPort`, which
// this gives it over Node's IPC channel (child_process.fork with serialization 'advanced').
import process from 'node:process';

process.parentPort = {
  on(event, listener) {
    if (event === 'message') process.on('message', (data) => listener({ data }));
  },
  postMessage(message) {
    process.send(message);
  },
};
