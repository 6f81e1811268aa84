/* Helpers for the browser test of the newsroom page: playwright-core installed once with
 * `npm ci` (into the build directory, again only when the lock changes), the real wiretag
 * binary on 127.0.0.1 with an ephemeral port, and Debian's chromium, headless, offline. */
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const {execFileSync, spawn} = require('child_process');
const {createRequire} = require('module');

const SRC = process.env.WIRETAG_SOURCE_DIR || process.cwd();
const BIN = process.env.WIRETAG_BIN || path.join(SRC, 'build', 'wiretag');
const OUT = process.env.WIRETAG_BUILD_DIR || path.dirname(BIN);
const DEPS = process.env.WIRETAG_PAGE_DEPS || path.join(OUT, 'page-test');
const CHROMIUM = process.env.WIRETAG_CHROMIUM || '/usr/bin/chromium';
const E2E_DATA = path.join(SRC, 'tests', 'data', 'e2e');

let failures = 0;

function check(cond, what) {
  if (!cond) {
    failures++;
    console.error('FAIL: ' + what);
  }
  return cond;
}

function done(name) {
  console.error(name + ': ' + (failures ? failures + ' failure(s)' : 'ok'));
  return failures ? 1 : 0;
}

/* The npm packages of tests/NAME/ at the versions its package-lock.json pins, installed with
 * `npm ci` into DEPS_DIR (in the build tree). `npm ci` runs only when node_modules is missing or
 * was installed from another package.json or lock; it runs no install scripts. Returns a
 * require() that loads from there. */
function npmDeps(name, depsDir, env = {}) {
  const here = path.join(SRC, 'tests', name);
  const files = ['package.json', 'package-lock.json'];
  const hash = crypto.createHash('sha256');
  for (const f of files)
    hash.update(fs.readFileSync(path.join(here, f)));
  const want = hash.digest('hex');
  const stamp = path.join(depsDir, 'node_modules', '.wiretag-lock-sha256');
  let have = '';
  try {
    have = fs.readFileSync(stamp, 'utf8').trim();
  } catch (e) {
    have = '';
  }
  if (have !== want) {
    console.error(name + ': npm ci in ' + depsDir);
    fs.mkdirSync(depsDir, {recursive: true});
    for (const f of files)
      fs.copyFileSync(path.join(here, f), path.join(depsDir, f));
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: depsDir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: Object.assign({}, process.env, env),
    });
    fs.writeFileSync(stamp, want + '\n');
  }
  return createRequire(path.join(depsDir, 'package.json'));
}

/* playwright-core at the version tests/page/package-lock.json pins; downloads no browser. */
function playwright() {
  return npmDeps('page', DEPS, {PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1'})('playwright-core');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* A running `wiretag serve`; its log is kept in memory for failure messages. */
class Server {
  /* Starts the binary; resolves once /ready answers 200, or with waitReady false as soon as
   * the port is known (the data may still be loading). */
  static async start(args = [], data = E2E_DATA, env = {}, waitReady = true) {
    const s = new Server();
    const cmd = ['serve', '--listen', '127.0.0.1:0', '--bundled-data', data].concat(args);
    s.proc = spawn(BIN, cmd, {stdio: ['ignore', 'ignore', 'pipe'],
                              env: Object.assign({}, process.env, env)});
    s.log = '';
    s.exited = false;
    s.proc.stderr.on('data', (b) => (s.log += b.toString()));
    s.exit = new Promise((resolve) => s.proc.on('exit', (code, sig) => {
      s.exited = true;
      resolve(code === null ? sig : code);
    }));
    const deadline = Date.now() + 20000;
    while (!s.port && Date.now() < deadline) {
      const m = /\(port (\d+)\)/.exec(s.log);
      if (m)
        s.port = Number(m[1]);
      else if (s.exited)
        throw new Error('wiretag exited early:\n' + s.log);
      else
        await sleep(20);
    }
    if (!s.port) {
      await s.stop();
      throw new Error('wiretag did not start:\n' + s.log);
    }
    s.base = 'http://127.0.0.1:' + s.port;
    while (waitReady && Date.now() < deadline) {
      try {
        if ((await fetch(s.base + '/ready')).status === 200)
          break;
      } catch (e) {
        /* not listening yet */
      }
      await sleep(20);
    }
    return s;
  }

  async stop() {
    if (!this.exited) {
      this.proc.kill('SIGTERM');
      const t = setTimeout(() => this.proc.kill('SIGKILL'), 30000);
      await this.exit;
      clearTimeout(t);
    }
    return this.exit;
  }
}

/* Debian's chromium, headless, with a fresh profile and nothing that reaches the network. */
async function launch(pw) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wiretag-chromium-'));
  const ctx = await pw.chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: {width: 1280, height: 900},
    timeout: 60000,
  });
  ctx.setDefaultTimeout(15000);
  const close = ctx.close.bind(ctx);
  ctx.close = async () => {
    await close();
    fs.rmSync(profile, {recursive: true, force: true});
  };
  return ctx;
}

module.exports = {SRC, OUT, BIN, check, done, npmDeps, playwright, Server, launch, sleep};
