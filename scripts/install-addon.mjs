#!/usr/bin/env node
// The package's install script: node-gyp-build (load a prebuild, else build from source
// with node-gyp), with the source build compiling on every core. node-gyp compiles one
// file at a time unless JOBS (or npm's --jobs) says otherwise; node-gyp-build passes
// this process's environment on to it. Arguments: node-gyp-build's pre- and post-build commands.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const env = { ...process.env };
if (!env.JOBS && !env.npm_config_jobs) env.JOBS = 'max';
const bin = createRequire(import.meta.url).resolve('node-gyp-build/bin.js');
const run = spawnSync(process.execPath, [bin, ...process.argv.slice(2)], { stdio: 'inherit', env });
if (run.error) throw run.error;
process.exit(run.status ?? 1);
