import { readdirSync, readFileSync } from 'node:fs';

/** One thread of this process, from /proc/self/task/TID/stat. */
export interface ThreadStat {
  name: string;
  /** Its nice value (field 19): Linux gives each thread its own. */
  nice: number;
  /** User and system CPU seconds so far (fields 14 and 15, in clock ticks of 1/100 s). */
  cpuSeconds: number;
}

/** This process's threads by thread id (Linux /proc); undefined where there is no /proc. */
export function processThreads(): Map<number, ThreadStat> | undefined {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  const threads = new Map<number, ThreadStat>();
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    // Fields after the name (which may hold spaces and parentheses), from field 3 on.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    threads.set(Number(tid), {
      name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      nice: Number(fields[16]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100,
    });
  }
  return threads;
}
