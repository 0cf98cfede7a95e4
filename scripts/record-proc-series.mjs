#!/usr/bin/env node
// Records this machine's own counters as a time series for examples/timeseries_forecast.ts:
// every 50 ms for 60 s, the fraction of CPU time busy since the last sample (from
// /proc/stat's aggregate cpu line), the processes running (procs_running) and the memory
// available in MiB (/proc/meminfo). Linux only.
//   node scripts/record-proc-series.mjs [out.csv] [seconds] [interval-ms]
import { readFileSync, writeFileSync } from 'node:fs';

const [out = 'data/proc-series.csv', seconds = '60', interval = '50'] = process.argv.slice(2);

function cpu() {
  const stat = readFileSync('/proc/stat', 'utf8');
  const fields = stat.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + fields[4]; // idle + iowait
  const total = fields.reduce((a, b) => a + b, 0);
  const running = Number(/procs_running (\d+)/.exec(stat)[1]);
  return { idle, total, running };
}

function memAvailableMiB() {
  return Number(/MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))[1]) / 1024;
}

const rows = ['t_ms,cpu_busy,procs_running,mem_available_mib'];
const start = Date.now();
let last = cpu();
const timer = setInterval(() => {
  const now = cpu();
  const dt = now.total - last.total;
  const busy = dt > 0 ? 1 - (now.idle - last.idle) / dt : 0;
  rows.push(`${Date.now() - start},${busy.toFixed(4)},${now.running},${memAvailableMiB().toFixed(1)}`);
  last = now;
  if (Date.now() - start >= Number(seconds) * 1000) {
    clearInterval(timer);
    writeFileSync(out, rows.join('\n') + '\n');
    console.log(`${rows.length - 1} samples -> ${out}`);
  }
}, Number(interval));
