import { parseArgs } from 'node:util';
import { defaultDataDir } from '../../core/config/data-dir';
import { startWebHost } from '../../web/server';

/** `sohoa serve`: browser mode until interrupted. */
export async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, port: { type: 'string' } } });
  const host = await startWebHost({ dataDir: values.data ?? defaultDataDir(), port: Number(values.port ?? 0) || 0 });
  process.stdout.write(`SoHoa đang chạy ở chế độ trình duyệt: ${host.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  return 0;
}
