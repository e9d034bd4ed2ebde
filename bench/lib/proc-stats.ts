// CPU time and peak memory of processes, read from /proc (Linux), for the benchmarks' per-process figures.
import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const CLK_TCK = 100;

/** CPU seconds and peak RSS of a process, from /proc. */
export function procStats(pid: number): { cpuS: number; peakRssMb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuS, peakRssMb: hwm ? Number(hwm[1]) / 1024 : NaN };
}

/** CPU seconds of every live process whose command name is `comm` (e.g. all PostgreSQL backends). */
export function cpuOfCommand(comm: string): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm) total += procStats(Number(pid)).cpuS;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}
