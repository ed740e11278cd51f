'use strict';
// Sandbox launcher for JavaScript and TypeScript: the container's entrypoint, one run per container.
//
// The runner attaches to the container's stdin and sends one JSON line {language, code, stdin}; no
// host path is mounted. TypeScript is transpiled here by esbuild (transpile-only: no type checking).
// esbuild's service process is started while the launcher waits for its payload, so a pooled
// container transpiles in a few ms instead of paying esbuild's ~60 ms start-up; it is stopped
// before the program runs. Node cannot exec, so the program runs in this process (PID 1): the
// given stdin replaces fd 0, the environment is emptied, and Module.runMain runs the file as if
// started with `node main.js`. One NUL byte on stdout tells the runner the payload arrived: its
// deadline counts from there, not from the container's start.
process.env.ESBUILD_BINARY_PATH = '/usr/local/bin/esbuild';
const fs = require('fs');
const Module = require('module');
const esbuild = require('esbuild');

const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' };
const TS_OPTIONS = {
  loader: 'ts', format: 'cjs', target: 'node18', sourcemap: 'inline', sourcefile: 'main.ts',
};

// Read fd 0 through libuv's thread pool: process.stdin is left untouched for the program.
async function readPayloadLine() {
  const chunks = [];
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n;
    try {
      n = await new Promise((resolve, reject) => {
        fs.read(0, buf, 0, buf.length, null, (err, bytes) => (err ? reject(err) : resolve(bytes)));
      });
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      await new Promise((resolve) => setTimeout(resolve, 2)); // fd 0 may be non-blocking
      continue;
    }
    if (n === 0) break;
    const nl = buf.subarray(0, n).indexOf(10);
    chunks.push(Buffer.from(buf.subarray(0, nl === -1 ? n : nl)));
    if (nl !== -1) break;
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function transpile(code) {
  try {
    return (await esbuild.transform(code, TS_OPTIONS)).code;
  } catch (e) {
    if (!e.errors) throw e;
    const text = await esbuild.formatMessages(e.errors, { kind: 'error', color: false });
    process.stderr.write(text.join(''));
    process.exitCode = 1;
    return null;
  }
}

async function main() {
  const warm = esbuild.transform('', TS_OPTIONS).catch(() => {}); // starts the service
  const payload = await readPayloadLine();
  fs.writeSync(1, '\0'); // READY: the runner starts the deadline clock now
  let js = payload.code;
  if (payload.language === 'typescript') {
    await warm;
    js = await transpile(payload.code);
    process.setSourceMapsEnabled(true); // stack traces point at main.ts lines
  }
  await esbuild.stop();
  if (js === null) return;
  const file = '/tmp/main.js';
  fs.writeFileSync(file, js);
  fs.writeFileSync('/tmp/.stdin', payload.stdin || '');
  fs.closeSync(0);
  const fd = fs.openSync('/tmp/.stdin', 'r'); // lowest free descriptor: becomes fd 0
  fs.unlinkSync('/tmp/.stdin');
  if (fd !== 0) throw new Error('launcher: stdin did not land on fd 0');
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, ENV);
  process.argv = [process.argv[0], file];
  Module.runMain();
}

main();
