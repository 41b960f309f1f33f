import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { strToU8, zipSync } from 'fflate';
import { DetectorState } from '@vigil/vulnerability-detector';
import { runCli } from '../program.ts';

function osv(id: string, extra: Record<string, unknown> = {}) {
  return { id, modified: '2026-11-20T10:00:00Z', affected: [{ package: { ecosystem: 'Debian:12', name: 'openssh' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:9.2p1-2+deb12u3' }] }] }], ...extra };
}

test('vigil vulndb update downloads <feedUrl>/<ecosystem>/all.zip, reports progress and problems; vulndb status and vulns read the result', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-vulndb-cli-'));
  const archive = zipSync({
    'DEBIAN-CVE-2023-38408.json': strToU8(JSON.stringify(osv('DEBIAN-CVE-2023-38408'))),
    'DEBIAN-CVE-2023-0001.json': strToU8(JSON.stringify({ id: 'DEBIAN-CVE-2023-0001' })),
  });
  const server = createServer((req, res) => {
    if (req.url === '/Debian/all.zip') res.writeHead(200, { 'last-modified': 'Fri, 04 Dec 2026 08:00:00 GMT' }).end(Buffer.from(archive));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const file = join(dir, 'vigil.yaml');
  writeFileSync(file, dump({ dataDir: join(dir, 'data'), vulnerabilityDetector: { feedUrl: url, ecosystems: ['Debian', 'Alpine'] } }));
  const out: string[] = [];
  const err: string[] = [];
  const io = { print: (l: string) => out.push(l), printError: (e: string) => err.push(e) };

  assert.equal(await runCli(['-c', file, 'vulndb', 'update'], io), 1, 'problems exit 1');
  assert.ok(out.some((l) => l === `Debian: downloading ${url}/Debian/all.zip`), out.join('\n'));
  assert.ok(out.includes('Debian: 1 records imported'), out.join('\n'));
  assert.ok(err.some((e) => e.includes('Debian/all.zip:DEBIAN-CVE-2023-0001.json record DEBIAN-CVE-2023-0001: invalid OSV record')), err.join(''));
  assert.ok(err.some((e) => e.includes(`${url}/Alpine/all.zip: download failed: HTTP 404`)), err.join(''));

  out.length = 0;
  assert.equal(await runCli(['-c', file, 'vulndb', 'status'], io), 0);
  assert.match(out[0]!, /^Debian: 1 records, feed of 2026-12-04T08:00:00.000Z, imported /);

  // `vigil vulns` lists what the detector's state holds.
  const state = new DetectorState(join(dir, 'data', 'vulndb', 'detector-state.sqlite'));
  state.put({
    agent: { id: 'web-1', name: 'web-1.example' },
    scope: 'host',
    os: { id: 'debian', versionId: '12' },
    format: 'deb',
    packages: new Map(),
    findings: new Map([
      [
        'k',
        { key: 'k', id: 'DEBIAN-CVE-2023-38408', cve: 'CVE-2023-38408', title: 't', severity: 'Critical', package: { name: 'openssh-client', version: '1:9.2p1-2+deb12u2' }, matched: { name: 'openssh', version: '1:9.2p1-2+deb12u2' }, condition: 'Package less than 1:9.2p1-2+deb12u3', fixed: '1:9.2p1-2+deb12u3', ecosystem: 'Debian:12', references: [], updated: '2026-11-20T10:00:00Z' },
      ],
    ]),
  });
  state.close();
  out.length = 0;
  assert.equal(await runCli(['-c', file, 'vulns'], io), 0);
  assert.deepEqual(out, ['web-1.example (web-1) host: 1 vulnerable package(s)', '  Critical CVE-2023-38408  openssh-client 1:9.2p1-2+deb12u2  fixed in 1:9.2p1-2+deb12u3']);
  out.length = 0;
  assert.equal(await runCli(['-c', file, 'vulns', '--agent', 'other'], io), 0);
  assert.deepEqual(out, ['no vulnerable packages known for other (0 inventories checked)']);
});
