import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { dockerignore, envOf, execForm, parseCopy, parseDockerfile, type Stage } from './dockerfile.ts';
import { REPO_ROOT } from './kustomize.ts';

const DOCKERFILE = join(REPO_ROOT, 'deploy/Dockerfile');
const dockerfile = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
const ignored = dockerignore(readFileSync(`${DOCKERFILE}.dockerignore`, 'utf8'));
const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  workspaces: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const stage = (name: string): Stage => {
  const found = dockerfile.stages.find((s) => s.name === name);
  assert.ok(found, `stage ${name}`);
  return found;
};
const last = <T>(items: T[]): T | undefined => items[items.length - 1];

test('the Dockerfile has a deps stage (npm ci --omit=dev) and a runtime stage that only copies its node_modules', () => {
  assert.deepEqual(dockerfile.stages.map((s) => s.name), ['deps', 'runtime']);
  const deps = stage('deps');
  const runtime = stage('runtime');
  assert.ok(deps.instructions.some((i) => i.keyword === 'RUN' && /\bnpm ci\b[^&]*--omit=dev/.test(i.args)), 'npm ci --omit=dev in deps');
  // Every workspace's package.json reaches the install, or npm ci would not link it.
  const depsCopies = deps.instructions.filter((i) => i.keyword === 'COPY').flatMap((i) => parseCopy(i.args).sources);
  for (const file of ['package.json', 'package-lock.json', ...rootPackage.workspaces.map((w) => `${w}/package.json`)]) {
    assert.ok(depsCopies.includes(file), `deps copies ${file}`);
  }
  assert.ok(!runtime.instructions.some((i) => i.keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(i.args)), 'no install in the runtime stage');
  const fromDeps = runtime.instructions.filter((i) => i.keyword === 'COPY' && parseCopy(i.args).flags['from'] === 'deps');
  assert.deepEqual(fromDeps.map((i) => parseCopy(i.args)), [{ flags: { from: 'deps' }, sources: ['/app/node_modules'], dest: './node_modules' }]);
});

test('the runtime stage runs as a numeric non-root user, writes only to volumes, and its entry point is vigil', () => {
  const runtime = stage('runtime');
  const user = last(runtime.instructions.filter((i) => i.keyword === 'USER'))?.args ?? '';
  assert.match(user, /^[1-9]\d*(:[1-9]\d*)?$/, 'numeric non-root USER (Kubernetes can then check runAsNonRoot)');
  assert.equal(last(runtime.instructions.filter((i) => i.keyword === 'WORKDIR'))?.args, '/app');
  assert.deepEqual(execForm(last(runtime.instructions.filter((i) => i.keyword === 'ENTRYPOINT'))), ['/app/bin/vigil']);
  assert.deepEqual(execForm(last(runtime.instructions.filter((i) => i.keyword === 'CMD'))), ['--help']);
  assert.deepEqual(execForm(last(runtime.instructions.filter((i) => i.keyword === 'VOLUME'))), ['/var/lib/vigil', '/tmp']);
  assert.equal(envOf(runtime)['VIGIL_DATA_DIR'], '/var/lib/vigil');
  assert.ok(runtime.instructions.some((i) => i.keyword === 'RUN' && /rm -f \/etc\/machine-id/.test(i.args)), 'no machine-id shared by every container');
  // Only what the services need at run time reaches the image.
  for (const path of ['services/common/src/errors.test.ts', 'services/cli/test/harness.ts', 'node_modules/x', 'deploy/Dockerfile', '.git/HEAD', 'data/vigil.db', 'ruleset/tests/x.xml']) {
    assert.ok(ignored(path), `${path} is kept out of the build context`);
  }
  for (const path of ['services/common/src/errors.ts', 'ruleset/rules/x.xml', 'bin/vigil', 'package-lock.json']) assert.ok(!ignored(path), `${path} is in the build context`);
});

// ---- the image's file system, built without Docker: the stages' COPY and npm ci into a temporary folder ------

let app: string | undefined;
let skipReason: string | undefined;
let root: string | undefined;

/** Copies a build-context path into the image folder as COPY does, leaving out what the .dockerignore excludes. */
function copyFromContext(source: string, dest: string): void {
  cpSync(join(REPO_ROOT, source), dest, {
    recursive: true,
    filter: (from) => {
      const rel = relative(REPO_ROOT, from);
      return rel === '' || !ignored(rel);
    },
  });
}

/**
 * Runs the COPY instructions of a stage that read the build context into `into` (the stage's WORKDIR /app), with
 * Docker's rules: a directory's contents go to the destination; a file goes into it when it ends with '/' or
 * when there are several sources, else becomes it.
 */
function applyContextCopies(s: Stage, into: string): void {
  for (const ins of s.instructions.filter((i) => i.keyword === 'COPY')) {
    const { flags, sources, dest } = parseCopy(ins.args);
    if (flags['from']) continue;
    const target = join(into, dest.replace(/^\/app\/?/, ''));
    const destIsDir = dest.endsWith('/') || sources.length > 1;
    for (const source of sources) {
      const isDir = statSync(join(REPO_ROOT, source)).isDirectory();
      const to = isDir || !destIsDir ? target : join(target, basename(source));
      mkdirSync(isDir ? to : dirname(to), { recursive: true });
      copyFromContext(source, to);
    }
  }
}

async function registryReachable(): Promise<string | undefined> {
  let registry: string;
  try {
    registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim().replace(/\/?$/, '/');
  } catch (err) {
    return `npm is not available (${(err as Error).message})`;
  }
  try {
    const res = await fetch(`${registry}-/ping`, { signal: AbortSignal.timeout(8000) });
    return res.ok ? undefined : `the npm registry ${registry} answers ${res.status}`;
  } catch (err) {
    return `the npm registry ${registry} cannot be reached (${(err as Error).message})`;
  }
}

before(async () => {
  skipReason = await registryReachable();
  if (skipReason) return;
  root = mkdtempSync(join(tmpdir(), 'vigil-image-'));
  // One folder stands for both stages' /app: the runtime stage takes deps' node_modules whole.
  const deps = join(root, 'app');
  mkdirSync(deps);
  applyContextCopies(stage('deps'), deps);
  // The Dockerfile's own install command, plus --ignore-scripts: here better-sqlite3's native build would take
  // minutes (no prebuilt binary can be downloaded), and `vigil --help` does not load it.
  const install = stage('deps').instructions.find((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
  const words = (/npm ci[^&]*/.exec(install?.args ?? '')?.[0] ?? '').trim().split(/\s+/).slice(1);
  const run = spawnSync('npm', [...words, '--ignore-scripts'], { cwd: deps, encoding: 'utf8', timeout: 240_000 });
  if (run.status !== 0) {
    const output = `${run.stdout}${run.stderr}`;
    if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ECONNRESET|network/i.test(output)) {
      skipReason = `npm ci could not reach the registry: ${output.split('\n').find((l) => /ERR|error/.test(l)) ?? output.slice(0, 200)}`;
      return;
    }
    assert.fail(`npm ${words.join(' ')} failed:\n${output}`);
  }
  app = deps;
  applyContextCopies(stage('runtime'), app);
});

after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test('the image holds production dependencies only', (t) => {
  if (skipReason || !app) return t.skip(skipReason ?? 'no image folder');
  for (const dep of Object.keys(rootPackage.dependencies)) assert.ok(existsSync(join(app, 'node_modules', dep, 'package.json')), `${dep} installed`);
  // package-lock.json marks what only the devDependencies need ("dev": true): none of it may be installed.
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const devOnly = Object.entries(lock.packages).filter(([path, p]) => p.dev === true && path.startsWith('node_modules/'));
  assert.ok(devOnly.some(([path]) => path === 'node_modules/typescript'), 'typescript is a dev-only package');
  for (const [path] of devOnly) assert.ok(!existsSync(join(app, path)), `dev-only ${path} left out`);
  for (const w of rootPackage.workspaces) {
    const name = (JSON.parse(readFileSync(join(REPO_ROOT, w, 'package.json'), 'utf8')) as { name: string }).name;
    assert.ok(existsSync(join(app, 'node_modules', name, 'package.json')), `workspace ${name} linked`);
  }
  assert.ok(!existsSync(join(app, 'services/common/src/errors.test.ts')), 'tests left out');
  assert.ok(existsSync(join(app, 'ruleset')), 'the built-in ruleset is in');
});

test("the image's entry point runs `vigil --help` from the production-only install", (t) => {
  if (skipReason || !app) return t.skip(skipReason ?? 'no image folder');
  const runtime = stage('runtime');
  const entry = execForm(last(runtime.instructions.filter((i) => i.keyword === 'ENTRYPOINT')));
  const cmd = execForm(last(runtime.instructions.filter((i) => i.keyword === 'CMD')));
  const program = join(app, (entry[0] as string).replace(/^\/app\//, ''));
  const run = spawnSync(program, [...entry.slice(1), ...cmd], {
    cwd: app,
    env: { PATH: process.env['PATH'] ?? '', HOME: app, ...envOf(runtime), VIGIL_DATA_DIR: join(app, 'data') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /^Usage: vigil <command>/);
  for (const service of ['collector', 'decoder', 'rule-engine', 'indexer', 'notifier', 'responder']) assert.match(run.stdout, new RegExp(`\\n  ${service}\\s`));
  assert.doesNotMatch(run.stderr, /installing npm dependencies/, 'bin/vigil found node_modules and did not run npm ci');
});
