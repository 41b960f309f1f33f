import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * The package layout as docs/architecture.md describes it ("Where things live"):
 * - a service's source imports no other service's package except `@vigil/common` and `@vigil/wazuh-format`;
 *   the CLI, which composes every service, is the one exception;
 * - code under any `src/core/` does no I/O: no NATS client, no file system, no logger, no HTTP client;
 * - one consumer loop: only `services/common/src/consumer-loop.ts` pulls from a durable (`.consume(`);
 * - no file, test or not, reaches into another service's folder by a relative path: what is shared goes through a
 *   package (`@vigil/wazuh-format/testing`, `@vigil/common/testing`).
 * Test files (`*.test.ts`, `test/`) are not checked for package imports: the rule engine's tests decode events
 * with the decoder.
 */

const root = join(import.meta.dirname, '..');
const servicesDir = join(root, 'services');

/** Services whose source may import every other service's package. */
const COMPOSITION_SERVICES = new Set(['cli']);
/** Packages any service may import. */
const SHARED_PACKAGES = new Set(['@vigil/common', '@vigil/wazuh-format']);
/** Modules core code must not import (prefixes end with `/`). */
const IO_MODULES = ['@nats-io/', 'node:fs', 'fs', 'fs/', 'node:fs/', 'pino', 'node:http', 'node:https', 'http', 'https', 'undici', '@slack/webhook', '@elastic/elasticsearch'];

function sourceFiles(dir: string, out: string[] = [], withTests = false): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') sourceFiles(full, out, withTests);
    } else if (entry.name.endsWith('.ts') && (withTests || !entry.name.endsWith('.test.ts'))) out.push(full);
  }
  return out;
}

/** Module specifiers of static imports and re-exports, and of `import('…')`. */
function importedModules(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm)) specs.push(m[1]!);
  for (const m of text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) specs.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]!);
  return specs;
}

function isIoModule(spec: string): boolean {
  return IO_MODULES.some((mod) => (mod.endsWith('/') ? spec.startsWith(mod) : spec === mod || spec.startsWith(`${mod}/`)));
}

const services = readdirSync(servicesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

function filesOf(service: string): Array<{ file: string; specs: string[] }> {
  let files: string[];
  try {
    files = sourceFiles(join(servicesDir, service, 'src'));
  } catch {
    return [];
  }
  return files.map((file) => ({ file: relative(root, file), specs: importedModules(readFileSync(file, 'utf8')) }));
}

test('the import scan sees static imports, re-exports, side-effect imports and dynamic imports', () => {
  const text = "import { a } from '@vigil/decoder';\nexport * from './x.ts';\nimport 'pino';\nconst m = await import('node:fs');\nimport type {\n  B,\n} from '@nats-io/jetstream';\n";
  assert.deepEqual(importedModules(text).sort(), ['./x.ts', '@nats-io/jetstream', '@vigil/decoder', 'node:fs', 'pino']);
  assert.equal(isIoModule('node:fs/promises'), true);
  assert.equal(isIoModule('node:path'), false);
  assert.equal(isIoModule('pino-pretty'), false);
});

test('a service imports no other service package than @vigil/common and @vigil/wazuh-format (the CLI excepted)', () => {
  assert.ok(services.includes('wazuh-format') && services.includes('common'));
  const violations: string[] = [];
  for (const service of services) {
    if (COMPOSITION_SERVICES.has(service)) continue;
    for (const { file, specs } of filesOf(service)) {
      for (const spec of specs) {
        if (!spec.startsWith('@vigil/')) continue;
        const pkg = spec.split('/').slice(0, 2).join('/');
        if (pkg === `@vigil/${service}` || SHARED_PACKAGES.has(pkg)) continue;
        violations.push(`${file}: imports ${spec}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('@vigil/wazuh-format imports no service but @vigil/common', () => {
  const violations = filesOf('wazuh-format').flatMap(({ file, specs }) =>
    specs.filter((s) => s.startsWith('@vigil/') && !s.startsWith('@vigil/common')).map((s) => `${file}: imports ${s}`),
  );
  assert.deepEqual(violations, []);
});

test('code under src/core/ imports no NATS client, file system, logger or HTTP client', () => {
  const violations: string[] = [];
  let coreFiles = 0;
  for (const service of services) {
    for (const { file, specs } of filesOf(service)) {
      if (!file.includes(`${sep}src${sep}core${sep}`)) continue;
      coreFiles++;
      for (const spec of specs) if (isIoModule(spec)) violations.push(`${file}: imports ${spec}`);
    }
  }
  assert.ok(coreFiles > 0);
  assert.deepEqual(violations, []);
});

test('only the common consumer loop pulls from a durable consumer', () => {
  const loop = join('services', 'common', 'src', 'consumer-loop.ts');
  const pulls = services
    .flatMap((service) => filesOf(service))
    .filter(({ file }) => file !== loop && /\.consume\(/.test(readFileSync(join(root, file), 'utf8')))
    .map(({ file }) => file);
  assert.deepEqual(pulls, []);
});

/** Reaches into another service's folder that predate the rule, each with why it is still there. */
const KNOWN_REACHES = new Map([
  // Spawns the whole `vigil` binary the way the CLI's integration tests do.
  [join('services', 'collector', 'test', 'integration', 'collector-crash.test.ts'), '../../../cli/test/harness.ts'],
]);

test("no file reaches into another service's folder by a relative path (tests included)", () => {
  const violations: string[] = [];
  for (const service of services) {
    const own = join(servicesDir, service);
    for (const dir of ['src', 'test']) {
      let files: string[];
      try {
        files = sourceFiles(join(own, dir), [], true);
      } catch {
        continue;
      }
      for (const full of files) {
        const file = relative(root, full);
        for (const spec of importedModules(readFileSync(full, 'utf8'))) {
          if (!spec.startsWith('.')) continue;
          const target = join(full, '..', spec);
          if (!target.startsWith(servicesDir + sep) || target.startsWith(own + sep)) continue;
          if (KNOWN_REACHES.get(file) === spec) continue;
          violations.push(`${file}: imports ${spec}`);
        }
      }
    }
  }
  assert.deepEqual(violations, []);
});
